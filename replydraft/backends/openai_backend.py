"""Any OpenAI-compatible server through the official SDK: OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp.

Structured output is a setting, never guessed: `json_schema` for servers that support it (OpenAI,
vLLM, upstream llama.cpp `llama-server`), `json_object` plus a schema for llama-cpp-python's server,
which answers 500 to `json_schema` — and a 500 is otherwise a server fault worth retrying.
"""

from __future__ import annotations

import email.utils
import json
import math
import os
import re
import time

import httpx
import openai

from ..errors import BackendConfigError, BackendError, BackendTimeout, ConfigError
from .base import ChatRequest, ChatResponse, StructuredOutput

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 120.0


class OpenAIBackend:
    """Chat completions on an OpenAI-compatible endpoint.

    >>> backend = OpenAIBackend(base_url="http://127.0.0.1:8081/v1", api_key="none", model="local",
    ...                         structured_output="json_object")
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        model: str | None = None,
        structured_output: StructuredOutput | None = None,
        timeout: float | None = None,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        azure_api_version: str | None = None,
    ) -> None:
        self.base_url = base_url or os.environ.get("REPLYDRAFT_BASE_URL") or None
        self.api_key = api_key or os.environ.get("OPENAI_API_KEY") or ("none" if self.base_url else None)
        if not self.api_key:
            raise ConfigError("the OpenAI backend needs OPENAI_API_KEY, or REPLYDRAFT_BASE_URL for a local server")
        self.model = model or os.environ.get("REPLYDRAFT_MODEL") or DEFAULT_MODEL
        mode = structured_output or os.environ.get("REPLYDRAFT_STRUCTURED_OUTPUT") or "json_schema"
        if mode not in ("json_schema", "json_object", "none"):
            raise ConfigError(f"REPLYDRAFT_STRUCTURED_OUTPUT must be json_schema, json_object or none, not {mode!r}")
        self.structured_output: StructuredOutput = mode  # type: ignore[assignment]
        self.max_retries = max_retries
        timeout = timeout or float(os.environ.get("REPLYDRAFT_TIMEOUT", DEFAULT_TIMEOUT))
        common = dict(api_key=self.api_key, timeout=timeout, max_retries=max_retries)
        if azure_api_version:
            self._client = openai.AzureOpenAI(azure_endpoint=self.base_url, api_version=azure_api_version, http_client=http_client, **common)
            self._aclient = openai.AsyncAzureOpenAI(azure_endpoint=self.base_url, api_version=azure_api_version, http_client=async_http_client, **common)
        else:
            self._client = openai.OpenAI(base_url=self.base_url, http_client=http_client, **common)
            self._aclient = openai.AsyncOpenAI(base_url=self.base_url, http_client=async_http_client, **common)

    @property
    def async_client(self) -> openai.AsyncOpenAI:
        return self._aclient

    def arguments(self, request: ChatRequest) -> dict:
        arguments = dict(
            model=self.model,
            messages=request.messages,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
        )
        if request.stop:
            arguments["stop"] = list(request.stop[:4])  # OpenAI takes at most four
        if request.json_schema is not None:
            if self.structured_output == "json_schema":
                arguments["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": request.schema_name, "schema": request.json_schema, "strict": False},
                }
            elif self.structured_output == "json_object":
                arguments["response_format"] = {"type": "json_object", "schema": request.json_schema}
        return arguments

    def parse_completion(self, completion) -> ChatResponse:
        # The SDK builds responses without validating them, so a proxy's 200 page, an error object
        # or a choice without a message arrive here as they are: read them defensively.
        if isinstance(completion, (str, bytes, list)) or completion is None:
            raise BackendError(_not_a_completion(completion, self))
        choices = getattr(completion, "choices", None)
        if not choices:
            error = _readable(getattr(completion, "error", None))
            if error:  # some proxies answer 200 with {"error": {...}}
                raise BackendError(f"the model server at {self.base_url or 'api.openai.com'} answered with an error instead of a completion: {error}")
            raise BackendError("the model returned no choices (an empty completion); try again")
        choice = choices[0]
        finish_reason = getattr(choice, "finish_reason", None)
        if finish_reason == "content_filter":
            raise BackendError("the provider's content filter refused this mail; draft this reply by hand")
        content = getattr(getattr(choice, "message", None), "content", None)
        usage = getattr(completion, "usage", None)
        return ChatResponse(
            content=content if isinstance(content, str) else "",
            prompt_tokens=_count(getattr(usage, "prompt_tokens", 0)),
            completion_tokens=_count(getattr(usage, "completion_tokens", 0)),
            model=getattr(completion, "model", None) or self.model,
            finish_reason=finish_reason,
        )

    def complete(self, request: ChatRequest) -> ChatResponse:
        try:
            return self.parse_completion(self._client.chat.completions.create(**self.arguments(request)))
        except (openai.OpenAIError, json.JSONDecodeError) as exc:
            raise _translate(exc, self) from exc

    async def acomplete(self, request: ChatRequest) -> ChatResponse:
        try:
            return self.parse_completion(await self._aclient.chat.completions.create(**self.arguments(request)))
        except (openai.OpenAIError, json.JSONDecodeError) as exc:
            raise _translate(exc, self) from exc

    async def astream(self, request: ChatRequest, on_text) -> ChatResponse:
        """Chat completion streamed: `on_text(text so far)` is awaited per chunk; the whole response is returned."""
        parts: list[str] = []
        finish_reason, usage, model = None, None, self.model
        try:
            stream = await self._aclient.chat.completions.create(
                **self.arguments(request), stream=True, stream_options={"include_usage": True},
            )
        except (openai.OpenAIError, json.JSONDecodeError) as exc:
            raise _translate(exc, self) from exc
        try:
            async for chunk in stream:
                usage = getattr(chunk, "usage", None) or usage
                model = getattr(chunk, "model", None) or model
                if not getattr(chunk, "choices", None):
                    continue
                choice = chunk.choices[0]
                finish_reason = getattr(choice, "finish_reason", None) or finish_reason
                text = getattr(getattr(choice, "delta", None), "content", None)
                if text and isinstance(text, str):
                    parts.append(text)
                    await on_text("".join(parts))
        except (openai.OpenAIError, httpx.HTTPError, json.JSONDecodeError) as exc:
            # Once the answer streams, the SDK does not retry: the call fails as a whole.
            where = self.base_url or "api.openai.com"
            raise BackendError(
                f"the model server at {where} broke off the reply while streaming it "
                f"({len(''.join(parts))} characters in): {_cause(exc)}; try again"
            ) from exc
        if finish_reason == "content_filter":
            raise BackendError("the provider's content filter refused this mail; draft this reply by hand")
        return ChatResponse(
            content="".join(parts),
            prompt_tokens=_count(getattr(usage, "prompt_tokens", 0)),
            completion_tokens=_count(getattr(usage, "completion_tokens", 0)),
            model=model,
            finish_reason=finish_reason,
        )


def _cause(exc: Exception) -> str:
    return " ".join(str(exc.__cause__ or exc).split())[:160] or type(exc).__name__


def _count(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _not_a_completion(body, backend: OpenAIBackend) -> str:
    where = backend.base_url or "api.openai.com"
    shown = _readable(body if isinstance(body, (str, bytes)) else json.dumps(body)[:200])
    return f"the model server at {where} answered with something that is not a chat completion" + (f": {shown!r}" if shown else " (an empty body)")


def _readable(body) -> str:
    """What the server said, in one short line: an error object's message, an HTML page's title, or the text."""
    if isinstance(body, dict):
        body = body.get("message") or body.get("error") or ""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not isinstance(body, str):
        return ""
    title = re.search(r"<title[^>]*>(.*?)</title>", body, re.IGNORECASE | re.DOTALL)
    text = title.group(1) if title else re.sub(r"<[^>]{0,500}>", " ", body)
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:159] + "…"


def _quotes_request(said: str, request: httpx.Request | None) -> bool:
    """Whether the server's message repeats a piece of what we sent (validators echo their input)."""
    try:
        sent = " ".join(str(m.get("content", "")) for m in json.loads(request.content)["messages"])
    except Exception:  # no request, a streamed body, or not our JSON: nothing to compare with
        return False
    sent = " ".join(sent.split())
    return any(said[i:i + 24] in sent for i in range(0, max(1, len(said) - 23), 4))


def _retry_after(response: httpx.Response | None) -> float | None:
    """The server's Retry-After in seconds (a number or an HTTP date), or None when absent or unreadable."""
    value = response.headers.get("retry-after") if response is not None else None
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.mktime_tz(email.utils.parsedate_tz(value)) - time.time()
        except (TypeError, ValueError, OverflowError):
            return None
    return seconds if math.isfinite(seconds) else None


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.0f} hours" if seconds < 172800 else f"{seconds / 86400:.0f} days"


def _translate(exc: Exception, backend: OpenAIBackend) -> Exception:
    """The SDK's exception as one of ours, with a message that says what to do."""
    where = backend.base_url or "api.openai.com"
    if isinstance(exc, json.JSONDecodeError):
        return BackendError(f"the model server at {where} sent a reply that is not valid JSON (cut off or not a chat completion); try again")
    if isinstance(exc, openai.APITimeoutError):
        return BackendTimeout(f"the model server at {where} did not answer in time; try again or raise REPLYDRAFT_TIMEOUT")
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc, backend, where)
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(f"cannot reach the model server at {where}: {exc.__cause__ or exc}")
    return BackendError(f"the model call failed: {exc}")


def _status_error(exc: openai.APIStatusError, backend: OpenAIBackend, where: str) -> Exception:
    """An HTTP error status from the server."""
    if isinstance(exc, openai.AuthenticationError):
        return BackendConfigError(f"the model server at {where} refused the API key (401); check OPENAI_API_KEY")
    if isinstance(exc, openai.NotFoundError):
        return BackendConfigError(f"the model server at {where} does not know model {backend.model!r} or the path (404); check REPLYDRAFT_MODEL and REPLYDRAFT_BASE_URL")
    if getattr(exc, "code", None) == "content_filter":
        return BackendError("the provider's content filter refused this mail; draft this reply by hand")  # Azure's 400
    if isinstance(exc, openai.RateLimitError):
        return _rate_limited(exc, where)
    said = _server_said(exc)
    if exc.status_code >= 500 or exc.status_code in (408, 409):  # the statuses the SDK retries
        attempts = backend.max_retries + 1
        return BackendError(
            f"the model server at {where} answered HTTP {exc.status_code}{said.rstrip('.')} "
            f"({attempts} attempt{'s' if attempts != 1 else ''}); try again later"
        )
    return BackendError(f"the model server at {where} refused the request with HTTP {exc.status_code}{said}")


def _rate_limited(exc: openai.RateLimitError, where: str) -> BackendError:
    wait = _retry_after(exc.response)
    if wait is not None and wait > 120:  # longer than the SDK waits: it does not retry at all
        return BackendError(f"the model server at {where} is rate-limiting us (429) and asks us to wait {_duration(wait)}; try again then")
    return BackendError(f"the model server at {where} is rate-limiting us (429) and retries did not help; try again later")


def _server_said(exc: openai.APIStatusError) -> str:
    """": <what the server said>", or nothing when it said no more than its status."""
    said = _readable(exc.body)
    if said and _quotes_request(said, exc.request):
        said = "its message quotes our request, so it is not shown"  # the agent's reason must not carry mail text
    return f": {said}" if said and said != str(exc.status_code) else ""

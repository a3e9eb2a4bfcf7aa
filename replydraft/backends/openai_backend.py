"""Any OpenAI-compatible server through the official SDK: OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp.

Structured output is a setting, never guessed: `json_schema` for servers that support it (OpenAI,
vLLM, upstream llama.cpp `llama-server`), `json_object` plus a schema for llama-cpp-python's server,
which answers 500 to `json_schema` — and a 500 is otherwise a server fault worth retrying.
"""

from __future__ import annotations

import os

import httpx
import openai

from ..errors import BackendError, BackendTimeout, ConfigError
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
        if not completion.choices:
            raise BackendError("the model returned no choices")
        choice = completion.choices[0]
        if choice.finish_reason == "content_filter":
            raise BackendError("the provider's content filter refused this mail; draft this reply by hand")
        usage = completion.usage
        return ChatResponse(
            content=choice.message.content or "",
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            model=completion.model or self.model,
            finish_reason=choice.finish_reason,
        )

    def complete(self, request: ChatRequest) -> ChatResponse:
        try:
            return self.parse_completion(self._client.chat.completions.create(**self.arguments(request)))
        except openai.OpenAIError as exc:
            raise _translate(exc, self) from exc

    async def acomplete(self, request: ChatRequest) -> ChatResponse:
        try:
            return self.parse_completion(await self._aclient.chat.completions.create(**self.arguments(request)))
        except openai.OpenAIError as exc:
            raise _translate(exc, self) from exc

    async def astream(self, request: ChatRequest, on_text) -> ChatResponse:
        """Chat completion streamed: `on_text(text so far)` is awaited per chunk; the whole response is returned."""
        try:
            stream = await self._aclient.chat.completions.create(
                **self.arguments(request), stream=True, stream_options={"include_usage": True},
            )
            parts: list[str] = []
            finish_reason, usage, model = None, None, self.model
            async for chunk in stream:
                usage = chunk.usage or usage
                model = chunk.model or model
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                finish_reason = choice.finish_reason or finish_reason
                if choice.delta and choice.delta.content:
                    parts.append(choice.delta.content)
                    await on_text("".join(parts))
        except openai.OpenAIError as exc:
            raise _translate(exc, self) from exc
        if finish_reason == "content_filter":
            raise BackendError("the provider's content filter refused this mail; draft this reply by hand")
        return ChatResponse(
            content="".join(parts),
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            model=model,
            finish_reason=finish_reason,
        )


def _translate(exc: openai.OpenAIError, backend: OpenAIBackend) -> Exception:
    where = backend.base_url or "api.openai.com"
    if isinstance(exc, openai.APITimeoutError):
        return BackendTimeout(f"the model server at {where} did not answer in time; try again or raise REPLYDRAFT_TIMEOUT")
    if isinstance(exc, openai.AuthenticationError):
        return ConfigError(f"the model server at {where} refused the API key (401); check OPENAI_API_KEY")
    if isinstance(exc, openai.NotFoundError):
        return ConfigError(f"the model server at {where} does not know model {backend.model!r} or the path (404); check REPLYDRAFT_MODEL and REPLYDRAFT_BASE_URL")
    if isinstance(exc, openai.APIStatusError) and getattr(exc, "code", None) == "content_filter":
        return BackendError("the provider's content filter refused this mail; draft this reply by hand")  # Azure's 400
    if isinstance(exc, openai.RateLimitError):
        return BackendError(f"the model server at {where} is rate-limiting us (429) and retries did not help; try again later")
    if isinstance(exc, openai.APIStatusError):
        return BackendError(f"the model server at {where} answered HTTP {exc.status_code}: {str(exc)[:200]}")
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(f"cannot reach the model server at {where}: {exc.__cause__ or exc}")
    return BackendError(f"the model call failed: {exc}")

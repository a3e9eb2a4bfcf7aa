"""Large runs through the OpenAI Batch API: half the price, answers within 24 hours.

One batch round per pipeline phase: every item's analysis request goes into one JSONL upload,
then every draft request, then every rewrite, then the revisions that the post-check asked for.
A line that fails (the batch's error file, or a non-200 response) fails only its own item.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
from collections.abc import Callable

import openai
from openai.types.chat import ChatCompletion

from ..backends.base import ChatRequest, ChatResponse
from ..backends.openai_backend import OpenAIBackend
from ..errors import BackendError

DONE = ("completed", "failed", "expired", "cancelled")


class BatchRunner:
    """Submits one round of chat requests as a batch and returns each answer or the reason it failed."""

    def __init__(self, backend: OpenAIBackend, *, poll_seconds: float = 30.0, max_wait_seconds: float = 25 * 3600,
                 on_status: Callable[[str], None] | None = None) -> None:
        self.backend = backend
        self.poll_seconds = poll_seconds
        self.max_wait_seconds = max_wait_seconds
        self.on_status = on_status or (lambda message: None)
        self.rounds = 0

    async def run(self, requests: dict[str, ChatRequest]) -> dict[str, ChatResponse | BackendError]:
        """custom_id -> ChatResponse, or BackendError naming why that line has no answer."""
        client = self.backend.async_client
        lines = "".join(
            json.dumps({"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions",
                        "body": self.backend.arguments(request)}, ensure_ascii=False) + "\n"
            for custom_id, request in requests.items()
        )
        try:
            upload = await client.files.create(file=("requests.jsonl", io.BytesIO(lines.encode()), "application/jsonl"),
                                               purpose="batch")
            batch = await client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions",
                                                completion_window="24h")
            self.rounds += 1
            started = time.monotonic()
            while batch.status not in DONE:
                if time.monotonic() - started > self.max_wait_seconds:
                    raise BackendError(f"batch {batch.id} did not finish within {self.max_wait_seconds / 3600:.0f} h")
                counts = batch.request_counts
                self.on_status(f"batch {batch.id}: {batch.status}"
                               + (f" ({counts.completed}/{counts.total})" if counts else ""))
                await asyncio.sleep(self.poll_seconds)
                batch = await client.batches.retrieve(batch.id)
            answers: dict[str, ChatResponse | BackendError] = {}
            for file_id in (batch.output_file_id, batch.error_file_id):
                if file_id:
                    content = await client.files.content(file_id)
                    for line in content.text.splitlines():
                        if line.strip():
                            custom_id, answer = self._answer(json.loads(line))
                            answers[custom_id] = answer
        except openai.OpenAIError as exc:
            raise BackendError(f"the Batch API failed: {exc}") from exc
        reason = f"the batch ended {batch.status} without an answer for this request"
        return {custom_id: answers.get(custom_id, BackendError(reason)) for custom_id in requests}

    def _answer(self, line: dict) -> tuple[str, ChatResponse | BackendError]:
        custom_id = line.get("custom_id", "")
        response = line.get("response") or {}
        if line.get("error") or response.get("status_code") != 200:
            error = line.get("error") or (response.get("body") or {}).get("error") or {}
            message = error.get("message") if isinstance(error, dict) else str(error)
            return custom_id, BackendError(
                f"the batch request failed (HTTP {response.get('status_code', '?')}): {message or 'no reason given'}"
            )
        try:
            return custom_id, self.backend.parse_completion(ChatCompletion.model_validate(response["body"]))
        except (ValueError, KeyError) as exc:
            return custom_id, BackendError(f"the batch answer is not a chat completion: {exc}")
        except BackendError as exc:
            return custom_id, exc

"""--batch-api against a fake OpenAI Batch API behind httpx.MockTransport: one batch per phase, partial failures isolated."""

from __future__ import annotations

import asyncio
import json
import re

import httpx

from replydraft import OpenAIBackend, load_policy
from replydraft.backends.base import ChatRequest
from replydraft.backends.fake import plausible_reply
from replydraft.budget import count_messages, count_tokens
from replydraft.evaluation.batch import BatchRunner
from replydraft.evaluation.runner import run_eval

from .test_eval_runner import make_items


class FakeBatchAPI:
    """Files and batches as the OpenAI API serves them; answers chat lines with `plausible_reply`.

    `fail_line(custom_id, prompt)` decides which lines fail: "error_file" puts the line in the
    batch's error file, an int puts it in the output file with that HTTP status.
    """

    def __init__(self, fail_line=lambda custom_id, prompt: None):
        self.fail_line = fail_line
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.inputs: list[list[dict]] = []
        self.polls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and path.endswith("/files"):
            lines = [line.rstrip(b"\r") for line in request.content.split(b"\n") if line.startswith(b'{"custom_id"')]
            file_id = f"file-in-{len(self.files)}"
            self.files[file_id] = b"\n".join(lines)
            return httpx.Response(200, json={"id": file_id, "object": "file", "bytes": len(self.files[file_id]),
                                             "created_at": 0, "filename": "requests.jsonl", "purpose": "batch",
                                             "status": "processed"})
        if request.method == "POST" and path.endswith("/batches"):
            body = json.loads(request.content)
            batch_id = f"batch_{len(self.batches)}"
            self.batches[batch_id] = {"id": batch_id, "object": "batch", "endpoint": body["endpoint"],
                                      "input_file_id": body["input_file_id"], "completion_window": "24h",
                                      "status": "validating", "created_at": 0}
            return httpx.Response(200, json=self.batches[batch_id])
        match = re.search(r"/batches/(batch_\d+)$", path)
        if match:
            self.polls += 1
            batch = self.batches[match.group(1)]
            if batch["status"] == "validating":
                batch["status"] = "in_progress"
            else:
                self._complete(batch)
            return httpx.Response(200, json=batch)
        match = re.search(r"/files/([\w-]+)/content$", path)
        if match:
            return httpx.Response(200, content=self.files[match.group(1)])
        return httpx.Response(404, json={"error": {"message": f"no route {path}"}})

    def _complete(self, batch: dict) -> None:
        lines = [json.loads(line) for line in self.files[batch["input_file_id"]].splitlines()]
        self.inputs.append(lines)
        output, errors = [], []
        for line in lines:
            custom_id, body = line["custom_id"], line["body"]
            prompt = body["messages"][-1]["content"]
            failure = self.fail_line(custom_id, prompt)
            if failure == "error_file":
                errors.append({"id": "r", "custom_id": custom_id, "response": None,
                               "error": {"code": "server_error", "message": "the batch worker crashed"}})
                continue
            if isinstance(failure, int):
                output.append({"id": "r", "custom_id": custom_id, "error": None, "response": {
                    "status_code": failure, "request_id": "x", "body": {"error": {"message": "overloaded"}}}})
                continue
            phase = custom_id.rsplit(":", 1)[1]
            reply = plausible_reply(ChatRequest(phase=phase, messages=body["messages"], max_tokens=100))
            content = reply if isinstance(reply, str) else json.dumps(reply)
            output.append({"id": "r", "custom_id": custom_id, "error": None, "response": {
                "status_code": 200, "request_id": "x", "body": {
                    "id": "c", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": count_messages(body["messages"]), "completion_tokens": count_tokens(content),
                              "total_tokens": 0}}}})
        batch["status"] = "completed"
        for kind, rows in (("output_file_id", output), ("error_file_id", errors)):
            if rows:
                file_id = f"file-{kind}-{batch['id']}"
                self.files[file_id] = "\n".join(json.dumps(r) for r in rows).encode()
                batch[kind] = file_id


def backend_for(api: FakeBatchAPI) -> OpenAIBackend:
    transport = httpx.MockTransport(api)
    return OpenAIBackend(base_url="http://batch.test/v1", api_key="test", model="gpt-4o-mini", max_retries=0,
                         async_http_client=httpx.AsyncClient(transport=transport),
                         http_client=httpx.Client(transport=transport))


def test_one_batch_per_phase_and_a_partly_failing_batch_fails_only_its_items(tmp_path):
    def fail(custom_id, prompt):
        if custom_id == "item-01:draft":
            return "error_file"
        if custom_id == "item-03:analysis":
            return 500
        return None

    api = FakeBatchAPI(fail)
    backend = backend_for(api)
    batch = BatchRunner(backend, poll_seconds=0)
    items = make_items(5)
    records = asyncio.run(run_eval(items, backend=backend, policy=load_policy("default"), out=tmp_path / "run",
                                   batch=batch))
    by_id = {r["id"]: r for r in records}
    assert "the batch worker crashed" in by_id["item-01"]["error"]
    assert "HTTP 500" in by_id["item-03"]["error"] and "overloaded" in by_id["item-03"]["error"]
    assert {k for k, r in by_id.items() if r["status"] != "error"} == {"item-00", "item-02", "item-04"}
    # Rounds: analysis (5 lines), draft (4), rewrite (3), revision (3: the stock reply fails the post-check).
    phases = [sorted({line["custom_id"].split(":")[1] for line in lines}) for lines in api.inputs]
    assert phases == [["analysis"], ["draft"], ["rewrite"], ["revision"]]
    assert [len(lines) for lines in api.inputs] == [5, 4, 3, 3]
    assert batch.rounds == 4 and api.polls >= 8
    assert by_id["item-00"]["result"]["calls"][0]["prompt_tokens"] > 0

    # Resume: only the two failed items go into new batches.
    api2 = FakeBatchAPI()
    again = asyncio.run(run_eval(items, backend=backend_for(api2), policy=load_policy("default"), out=tmp_path / "run",
                                 batch=BatchRunner(backend_for(api2), poll_seconds=0)))
    assert sorted(line["custom_id"] for line in api2.inputs[0]) == ["item-01:analysis", "item-03:analysis"]
    assert all(r["status"] != "error" for r in again)


def test_a_batch_that_fails_as_a_whole_records_every_item_as_an_error(tmp_path):
    class Expiring(FakeBatchAPI):
        def _complete(self, batch):
            batch["status"] = "expired"

    api = Expiring()
    backend = backend_for(api)
    records = asyncio.run(run_eval(make_items(3), backend=backend, policy=load_policy("default"), out=tmp_path / "run",
                                   batch=BatchRunner(backend, poll_seconds=0)))
    assert [r["status"] for r in records] == ["error"] * 3
    assert all("ended expired" in r["error"] for r in records)

"""Where a run keeps its work: results.jsonl (appended per finished item) and a draft cache.

A run can be killed at any moment: each record is one line written and fsynced as the item
finishes, so at most the line being written is lost, and loading skips a torn last line.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..errors import InputError
from ..policy import Policy
from ..prompts import template_hash
from ..types import DraftResult
from .sets import EvalItem


class ResultStore:
    """results.jsonl of one run directory: one record per item, the last one written wins."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def load(self) -> dict[str, dict]:
        records: dict[str, dict] = {}
        if not self.path.exists():
            return records
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line torn by a kill: that item simply runs again
            if isinstance(record, dict) and "id" in record:
                records[record["id"]] = record
        return records

    def finished(self) -> dict[str, dict]:
        """Records of items that need no new run: errors are tried again on resume."""
        return {key: r for key, r in self.load().items() if r.get("status") != "error"}

    def append(self, record: dict) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as handle:
            if handle.tell() and not _ends_with_newline(self.path):
                handle.write("\n")  # close a torn line so this record stays readable
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def compact(self, order: list[str]) -> list[dict]:
        """Rewrite the file with exactly one record per item, in set order; returns those records."""
        records = self.load()
        kept = [records[key] for key in order if key in records]
        _write_atomic(self.path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept))
        return kept


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _write_atomic(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


class DraftCache:
    """Finished drafts keyed on (prompt-template hash, policy, model, input): an unchanged item is paid for once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @staticmethod
    def key(item: EvalItem, policy: Policy, model: str) -> str:
        material = json.dumps(
            [template_hash(), policy.model_dump(mode="json"), model, item.mail.model_dump(mode="json", by_alias=True)],
            sort_keys=True, ensure_ascii=False,
        )
        return hashlib.sha256(material.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> DraftResult | None:
        try:
            return DraftResult.model_validate_json(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, result: DraftResult) -> None:
        if result.status == "error":
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, result.model_dump_json())


def check_manifest(directory: Path, manifest: dict) -> None:
    """A run directory belongs to one configuration: resuming with another policy or model would mix runs."""
    path = directory / "run.json"
    if path.exists():
        try:
            earlier = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            earlier = {}
        for key in ("policy", "policy_hash", "model", "prompt_hash"):
            if key in earlier and earlier[key] != manifest[key]:
                raise InputError(
                    f"{directory} holds a run with {key} {earlier[key]!r}, not {manifest[key]!r}; "
                    "pass another --out to start a new run"
                )
    directory.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def policy_hash(policy: Policy) -> str:
    return hashlib.sha256(json.dumps(policy.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()[:16]

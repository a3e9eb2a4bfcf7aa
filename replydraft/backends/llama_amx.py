"""Keep llama.cpp off its AMX weight repacking, which crashes on Sapphire Rapids-class CPUs.

llama.cpp repacks Q4_K weights into an AMX buffer when the CPU reports AMX (`amx_int8`), and the
first decode then dies with SIGSEGV in `ggml_backend_amx_mul_mat` (ggml-org/llama.cpp#20824; the
embedded model crashed this way on the build machine). The model parameter `use_extra_bufts=False`
skips the extra buffer types; it is only switched off on CPUs that report AMX, because the same
buffers hold the faster AVX2 repacking elsewhere.
"""

from __future__ import annotations

import runpy
import sys
from functools import cache
from pathlib import Path


@cache
def cpu_has_amx(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    try:
        with cpuinfo.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return "amx_int8" in line.split()
    except OSError:
        pass
    return False


def avoid_amx_repacking() -> None:
    """Make every later llama_cpp.Llama load its weights without extra buffer types, on AMX CPUs."""
    if not cpu_has_amx():
        return
    import llama_cpp.llama_cpp as low_level

    defaults = low_level.llama_model_default_params
    if getattr(defaults, "without_extra_bufts", False):
        return

    def without_extra_bufts():
        params = defaults()
        params.use_extra_bufts = False
        return params

    without_extra_bufts.without_extra_bufts = True
    low_level.llama_model_default_params = without_extra_bufts


if __name__ == "__main__":  # `python -m replydraft.backends.llama_amx ARGS`: llama_cpp.server with the same guard
    avoid_amx_repacking()
    sys.argv[0] = "llama_cpp.server"
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)

"""Team policies: tone, signature, what may be promised, B1 thresholds. Strictly validated TOML.

A policy is named ("default", a file in the shipped `policies/` folder) or given as a path.
Unknown keys are errors that name the key and the file, so a typo never silently changes a draft.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import PolicyError
from .resources import policies_dir


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Company(_Section):
    name: str = "Ons bedrijf"
    signature: str = "Met vriendelijke groet,\nKlantenservice"
    signature_en: str = "Kind regards,\nCustomer service"
    contact_email: str = ""
    contact_phone: str = ""
    # Grounded drafts: a link, address or account in a draft must be one of these (docs/safety.md).
    website: str = ""  # its domain and subdomains may be linked
    return_address: str = ""  # the only address a draft may give for returns or post to us
    payment_iban: str = ""  # the only account a draft may ask the customer to pay into; empty: none


class Tone(_Section):
    default_register: Literal["u", "je"] = "u"
    description: str = "warm, direct en persoonlijk"
    default_language: str = "nl"


class Promises(_Section):
    """What an agent may promise or offer without asking a manager."""

    may_offer: list[str] = Field(default_factory=list)
    may_not_promise: list[str] = Field(default_factory=list)
    max_refund_eur: float = 0.0
    max_goodwill_eur: float = 0.0
    discount_codes: list[str] = Field(default_factory=list)  # the only discount codes a draft may hand out
    # The refund time the company stands for; a draft may not promise money back sooner (0: it names none, so no draft may).
    refund_within_days: int = Field(default=0, ge=0)


class Links(_Section):
    """Domains a draft may link to, besides the company website's own."""

    allowed_domains: list[str] = Field(default_factory=list)


class ResponseTimes(_Section):
    email: str = "dezelfde of de volgende werkdag"
    phone: str = "direct, op werkdagen van 8.00 tot 18.00 uur"


class B1Thresholds(_Section):
    max_mean_sentence_words: float = 15.0
    max_sentence_words: int = 25
    max_passive_share: float = 0.2
    max_subordinate_clauses: int = 1
    max_rare_word_share: float = 0.10
    rare_word_zipf: float = 3.0
    min_reading_ease: float = 60.0
    min_words_for_formula: int = 40
    max_negation_share: float = 0.35
    max_officialese: int = 0


class Formalities(_Section):
    """Formalities this team really needs (e.g. "legitimatie" for a bank): not flagged."""

    required: list[str] = Field(default_factory=list)


class Budget(_Section):
    max_input_tokens: int = 6000
    max_output_tokens: int = 900


class Price(_Section):
    input_per_mtok: float
    output_per_mtok: float


class Masking(_Section):
    enabled: bool = True


class Policy(_Section):
    name: str = "default"
    company: Company = Company()
    tone: Tone = Tone()
    promises: Promises = Promises()
    links: Links = Links()
    response_times: ResponseTimes = ResponseTimes()
    b1: B1Thresholds = B1Thresholds()
    formalities: Formalities = Formalities()
    budget: Budget = Budget()
    prices: dict[str, Price] = Field(default_factory=dict)
    masking: Masking = Masking()
    notes: list[str] = Field(default_factory=list)


def available_policies() -> list[str]:
    return sorted(p.stem for p in policies_dir().glob("*.toml"))


def load_policy(name_or_path: str | Path | Policy | None = None) -> Policy:
    """Load a policy by name (a file in `policies/`) or path; None gives "default".

    >>> load_policy("default").b1.max_sentence_words
    25
    """
    if isinstance(name_or_path, Policy):
        return name_or_path
    spec = str(name_or_path or "default")
    path = Path(spec)
    if not (path.suffix == ".toml" or path.exists()):
        path = policies_dir() / f"{spec}.toml"
    if not path.is_file():
        raise PolicyError(
            f"unknown policy {spec!r}: no file {path}. "
            f"Known policies: {', '.join(available_policies()) or 'none'}; or pass a path to a .toml file."
        )
    return _load_file(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _load_file(path: Path, mtime_ns: int) -> Policy:
    # Keyed on the modification time, so an edited policy is read again; Policy is frozen, so sharing is safe.
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(f"policy file {path} is not valid TOML: {exc}") from None
    data.setdefault("name", path.stem)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(_describe(exc, path)) from None


def _describe(exc: ValidationError, path: Path) -> str:
    problems = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            problems.append(f"unknown key '{key}'")
        else:
            problems.append(f"'{key}': {err['msg']}")
    return f"policy file {path}: " + "; ".join(problems)

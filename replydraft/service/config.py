"""The service's settings that come from the operator: tokens, helpdesk origins, the loopback rule for
--no-auth, the feedback store's database and retention; from the environment, the flags and the
`--config` TOML file.

    tokens = ["token-a", "token-b"]                                  # besides REPLYDRAFT_API_TOKENS
    frame_origins = ["https://acme.zendesk.com", "https://helpdesk.example.nl:8443"]
    database_url = "postgresql://replydraft@db.internal/replydraft"  # REPLYDRAFT_DATABASE_URL wins
    retention_days = 90                                               # REPLYDRAFT_RETENTION_DAYS wins

A frame origin is the origin of the helpdesk page that embeds the sidebar in an iframe: scheme://host[:port],
no path. Only these pages may frame the sidebar (Content-Security-Policy: frame-ancestors), send it a mail
(`replydraft:mail`) and receive its draft (`replydraft:insert`).
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ConfigError

KNOWN_KEYS = ("tokens", "frame_origins", "database_url", "retention_days")
DEFAULT_PORTS = {"http": 80, "https": 443}
HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\]")


def parse_origin(text: str) -> str:
    """`text` as the browser writes an origin (`event.origin`): lower case, no default port, no slash.

    >>> parse_origin("HTTPS://Acme.Zendesk.com:443/")
    'https://acme.zendesk.com'
    """
    problem = ValueError(f"{text!r} is not an origin: write scheme://host[:port], e.g. https://acme.zendesk.com")
    if not isinstance(text, str):
        raise problem
    try:
        parts = urlsplit(text.strip().removesuffix("/"))
        port = parts.port
    except ValueError:
        raise problem from None
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    if (scheme not in DEFAULT_PORTS or not HOST.fullmatch(shown) or parts.path or parts.query or parts.fragment
            or parts.netloc.lower() not in (shown, f"{shown}:{port}")):
        raise problem
    return f"{scheme}://{shown}" + (f":{port}" if port is not None and port != DEFAULT_PORTS[scheme] else "")


def parse_origins(values, where: str) -> list[str]:
    """Each origin checked and normalised, duplicates dropped; a ConfigError naming `where` otherwise."""
    if not isinstance(values, (list, tuple)):
        raise ConfigError(f'frame origins in {where} must be a list: frame_origins = ["https://helpdesk.example.nl"]')
    origins: list[str] = []
    for value in values:
        try:
            origin = parse_origin(value)
        except ValueError as exc:
            raise ConfigError(f"a frame origin in {where}: {exc}") from None
        if origin not in origins:
            origins.append(origin)
    return origins


def read_config(path: str) -> dict:
    """The `--config` TOML file: its tokens (stripped) and frame origins (normalised)."""
    try:
        config = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the service config {path}: {exc}") from None
    unknown = set(config) - set(KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"unknown key {sorted(unknown)[0]!r} in {path} (known: {', '.join(KNOWN_KEYS)})")
    listed = config.get("tokens", [])
    if not isinstance(listed, list) or not all(isinstance(t, str) and t.strip() for t in listed):
        raise ConfigError(f'tokens in {path} must be a list of non-empty strings: tokens = ["..."]')
    url = config.get("database_url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise ConfigError(f'database_url in {path} must be a database URL: database_url = "postgresql://user@host/db"')
    days = config.get("retention_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise ConfigError(f"retention_days in {path} must be a whole number of days, at least 1")
    return {"tokens": [t.strip() for t in listed], "frame_origins": parse_origins(config.get("frame_origins", []), path),
            "database_url": url.strip() if url else None, "retention_days": days}


@dataclass(frozen=True)
class ServeSettings:
    tokens: list[str]
    frame_origins: list[str]
    auth: bool
    database_url: str | None
    retention_days: int | None


def serve_settings(*, host: str, no_auth: bool, config_path: str | None, frame_origins: list[str]) -> ServeSettings:
    """`replydraft serve`'s settings: REPLYDRAFT_API_TOKENS and the config file's tokens, the flags' and the
    file's frame origins; --no-auth only on a loopback host; tokens required otherwise."""
    from ..feedback.store import DATABASE_URL_ENV, retention_days

    tokens = [t.strip() for t in os.environ.get("REPLYDRAFT_API_TOKENS", "").split(",") if t.strip()]
    origins = parse_origins(frame_origins, "--frame-origin")
    config = read_config(config_path) if config_path else {"tokens": [], "frame_origins": [], "database_url": None,
                                                             "retention_days": None}
    tokens += config["tokens"]
    origins += [o for o in config["frame_origins"] if o not in origins]
    if no_auth and not _loopback(host):
        raise ConfigError(f"--no-auth is only allowed on 127.0.0.1 or ::1, not on {host}")
    if not no_auth and not tokens:
        raise ConfigError("set REPLYDRAFT_API_TOKENS (comma-separated) or --config FILE with tokens = [...], "
                          "or pass --no-auth on 127.0.0.1")
    return ServeSettings(tokens, origins, not no_auth, os.environ.get(DATABASE_URL_ENV) or config["database_url"],
                         retention_days(config["retention_days"]))


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"

"""The links in a draft (http(s), www., bare domains, markdown targets) and the domains a policy allows."""

from __future__ import annotations

import re

from ..policy import Policy

_TLDS = (
    "com|net|org|nl|be|de|eu|io|info|biz|co|uk|fr|es|ch|at|ly|me|app|site|online|shop|store|click|top|link|xyz|ru|cn|"
    "tk|dev|ai|tv|cc|nu|us|ca|au|ws|pw|gd|gl|live|email|support|help|page|website|example|test|invalid"
)
_END = r"[^\s<>\"'`\])]"
_LINK = re.compile(
    r"\]\(\s*<?(?P<md>[^)\s>]+)"  # a markdown link or image target
    rf"|(?P<url>\b(?:https?:)?//{_END}+|\bwww\.{_END}+)"  # http(s), protocol-relative, www.
    rf"|(?<![@\w.-])(?P<bare>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,62}}[A-Za-z0-9])?\.)+(?:{_TLDS})\b(?:/{_END}*)?)",
)
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?(?://)?(?:[^@/?#]*@)?([^/?#:]*)", re.IGNORECASE)


def _domain(link: str) -> str:
    host = _HOST.match(link.strip())
    return (host.group(1) if host else link).lower().rstrip(".").removeprefix("www.")


def allowed_domains(policy: Policy) -> tuple[str, ...]:
    domains = [_domain(policy.company.website)] if policy.company.website.strip() else []
    domains += [_domain(d) for d in policy.links.allowed_domains if d.strip()]
    return tuple(d for d in domains if d)


def is_allowed(domain: str, allowed: tuple[str, ...]) -> bool:
    """The domain is an allowed one or a subdomain of one."""
    return any(domain == d or domain.endswith("." + d) for d in allowed)


def links(text: str) -> list[tuple[str, str, int, int]]:
    """Every URL-like thing in `text`: (link, domain, start, end)."""
    found = []
    for m in _LINK.finditer(text):
        kind = m.lastgroup
        link = m.group(kind).rstrip(".,;:!?")
        if kind == "md" and (link.startswith(("#", "mailto:", "tel:")) or "@" in link and "/" not in link):
            continue  # an anchor or an address: the contact check reads those
        found.append((link, _domain(link), m.start(kind), m.start(kind) + len(link)))
    return found

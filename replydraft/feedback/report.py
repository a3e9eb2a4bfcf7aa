"""`replydraft feedback report`: do the drafts help? Used as is / edited / discarded, the median
similarity, and which findings come before the biggest edits; per policy and per model; in HTML
with the similarity over time.
"""

from __future__ import annotations

import html
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from .edits import AS_IS, outcome_kind

KINDS = ("as_is", "edited", "discarded", "sent_unknown", "no_outcome")
KIND_NAMES = {"as_is": "used as is", "edited": "edited", "discarded": "discarded",
              "sent_unknown": "sent, text unknown", "no_outcome": "no outcome yet"}


@dataclass
class Group:
    """Counts of one slice of the drafts (all, one policy, one model, one finding code)."""

    name: str
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    similarities: list[float] = field(default_factory=list)

    def add(self, row: dict) -> None:
        kind = outcome_kind(row["outcome"], row["similarity"]) if row["outcome"] else "no_outcome"
        self.kinds[kind] += 1
        if row["similarity"] is not None:
            self.similarities.append(row["similarity"])

    @property
    def drafts(self) -> int:
        return sum(self.kinds.values())

    @property
    def with_outcome(self) -> int:
        return self.drafts - self.kinds["no_outcome"]

    @property
    def median(self) -> float | None:
        return statistics.median(self.similarities) if self.similarities else None

    def share(self, kind: str) -> float | None:
        return self.kinds[kind] / self.with_outcome if self.with_outcome else None


@dataclass
class Report:
    total: Group
    by_policy: list[Group]
    by_model: list[Group]
    by_finding: list[Group]  # biggest edits first: lowest median similarity
    daily: list[tuple[str, float, int]]  # (day, median similarity, sent texts that day)


def build(rows: list[dict]) -> Report:
    total = Group("all drafts")
    policies: dict[str, Group] = {}
    models: dict[str, Group] = {}
    findings: dict[str, Group] = {}
    days: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        total.add(row)
        policies.setdefault(row["policy"], Group(row["policy"])).add(row)
        models.setdefault(row["model"], Group(row["model"])).add(row)
        for code in sorted({f["code"] for f in row["findings"]}):
            findings.setdefault(code, Group(code)).add(row)
        if row["similarity"] is not None:
            days[row["created_at"].date().isoformat()].append(row["similarity"])
    by_finding = sorted(findings.values(), key=lambda g: (g.median if g.median is not None else 2.0, -g.drafts))
    daily = [(day, statistics.median(values), len(values)) for day, values in sorted(days.items())]
    return Report(total, _sorted(policies), _sorted(models), by_finding, daily)


def _sorted(groups: dict[str, Group]) -> list[Group]:
    return sorted(groups.values(), key=lambda g: -g.drafts)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


HEADER = ("", "drafts", "with outcome", "used as is", "edited", "discarded", "sent, text unknown", "median similarity")


def _cells(group: Group) -> tuple[str, ...]:
    return (group.name, str(group.drafts), str(group.with_outcome), _pct(group.share("as_is")), _pct(group.share("edited")),
            _pct(group.share("discarded")), _pct(group.share("sent_unknown")), _num(group.median))


def _table(title: str, groups: list[Group], first: str) -> list[str]:
    lines = [f"## {title}", "", "| " + " | ".join((first, *HEADER[1:])) + " |", "|---" + "|---:" * (len(HEADER) - 1) + "|"]
    lines += ["| " + " | ".join(_cells(g)) + " |" for g in groups]
    return lines + [""]


def as_markdown(report: Report, since: str | None = None, policy: str | None = None) -> str:
    scope = ", ".join(p for p in (f"since {since}" if since else "", f"policy {policy}" if policy else "") if p)
    lines = [f"# Feedback report{' (' + scope + ')' if scope else ''}", "",
             f"Used as is: sent with a similarity of at least {AS_IS:.2f} to the draft (a typo or a space changed).", ""]
    lines += _table("All drafts", [report.total], "")
    lines += _table("Findings before the biggest edits (lowest median similarity first)", report.by_finding, "finding")
    lines += _table("Per policy", report.by_policy, "policy")
    lines += _table("Per model", report.by_model, "model")
    return "\n".join(lines).rstrip() + "\n"


def as_html(report: Report, since: str | None = None, policy: str | None = None) -> str:
    def table(title: str, groups: list[Group], first: str) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in (first, *HEADER[1:]))
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _cells(g)) + "</tr>" for g in groups)
        return f"<h2>{html.escape(title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    scope = " · ".join(p for p in (f"since {since}" if since else "", f"policy {policy}" if policy else "") if p)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>replydraft feedback report</title>
<style>
body{{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1b1b1b;padding:0 1rem}}
table{{border-collapse:collapse;margin:.5rem 0 1.5rem}} th,td{{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}}
th:first-child,td:first-child{{text-align:left}} th{{background:#f3f3f3}} .note{{color:#555}}
</style></head><body>
<h1>Do the drafts help?</h1>
<p class="note">{html.escape(scope or "all recorded drafts")}. Used as is: sent with a similarity of at least {AS_IS:.2f}
to the draft. Similarity is character-level, 0 to 1, between the stored draft and the text the agent sent (both masked).</p>
<h2>Similarity over time</h2>
{_svg(report.daily)}
{table("All drafts", [report.total], "")}
{table("Findings before the biggest edits (lowest median similarity first)", report.by_finding, "finding")}
{table("Per policy", report.by_policy, "policy")}
{table("Per model", report.by_model, "model")}
</body></html>
"""


def _svg(daily: list[tuple[str, float, int]]) -> str:
    """The daily median similarity as an inline SVG line chart: no plotting library, no script."""
    if not daily:
        return '<p class="note">No sent texts yet.</p>'
    width, height, left, bottom, top, right = 720, 260, 48, 36, 12, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(daily) - 1)

    def x(i: int) -> float:
        return left + (i * step if len(daily) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + (1 - value) * plot_h

    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e3e3"/>'
                   f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{v:.2f}</text>'
                   for v in (0, 0.25, 0.5, 0.75, 1))
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_d, v, _n) in enumerate(daily))
    dots = "".join(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="#1f5fa8"><title>{d}: median {v:.2f} over {n} sent texts</title></circle>'
                   for i, (d, v, n) in enumerate(daily))
    every = max(1, len(daily) // 8)
    labels = "".join(f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" font-size="11">{d[5:]}</text>'
                     for i, (d, _v, _n) in enumerate(daily) if i % every == 0)
    return (f'<svg role="img" aria-label="median similarity per day" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{grid}'
            f'<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="{points}"/>{dots}{labels}</svg>')

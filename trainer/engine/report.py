"""A scorecard as plain text for a terminal (`trainer show`), without Rich."""

from __future__ import annotations

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values) -> str:
    vals = [max(0, min(100, int(v))) for v in values]
    return "".join(SPARK[min(len(SPARK) - 1, v * len(SPARK) // 101)] for v in vals)


def bar(score: int, width: int = 20) -> str:
    filled = round(max(0, min(100, score)) * width / 100)
    return "█" * filled + "░" * (width - filled)


def _clean(text: str) -> str:
    return "".join(c if c.isprintable() or c == " " else "?" for c in str(text))


def highlight(reply: str, matches) -> str:
    """The reply with the words that triggered a category marked «like this»."""
    spans = sorted({(m["start"], m["end"]) for m in matches if isinstance(m, dict)
                    and isinstance(m.get("start"), int) and isinstance(m.get("end"), int)})
    out, pos = [], 0
    for s, e in spans:
        if s < pos:
            continue
        out.append(_clean(reply[pos:s]))
        out.append("«" + _clean(reply[s:e]) + "»")
        pos = e
    out.append(_clean(reply[pos:]))
    return "".join(out)


def render_text(data: dict) -> str:
    lines = []
    title = data.get("scenario_title") or data.get("scenario")
    lines.append(f"Scorecard — {_clean(title)} ({data.get('scenario')}, {data.get('language')})")
    lines.append(f"Trainee: {_clean(data.get('trainee', ''))}"
                 + (f"   Cohort: {_clean(data['cohort'])}" if data.get("cohort") else "")
                 + f"   Mode: {data.get('mode', 'practice')}   Started: {data.get('started')}")
    lines.append(f"Outcome: {data.get('outcome')}   Score: {data.get('score')}/100   "
                 f"Anger: {data.get('anger_start')} → {data.get('anger_end')}   "
                 f"Turns: {len(data.get('turns', []))}   "
                 f"Average reply: {data.get('average_reply_seconds', 0)} s")
    history = data.get("anger_history") or []
    if history:
        lines.append(f"Mood over time: {sparkline(history)}  ({' '.join(map(str, history))})")
    skills = data.get("skills") or {}
    if skills:
        lines.append("")
        lines.append("Skills")
        for name, s in skills.items():
            if isinstance(s, dict):
                lines.append(f"  {name:<10} {bar(int(s.get('score', 0)))} {s.get('score', 0):>3}")
                for reason in s.get("reasons", [])[:6]:
                    lines.append(f"      {_clean(reason)}")
    tips = data.get("tips") or []
    if tips:
        lines.append("")
        lines.append("Tips")
        for t in tips:
            if isinstance(t, dict):
                lines.append(f"  • {_clean(t.get('text', ''))}")
                lines.append(f"    Lesson {t.get('lesson')}: {_clean(t.get('lesson_title', ''))}")
    turns = data.get("turns") or []
    if turns:
        lines.append("")
        lines.append("Turns")
        for i, t in enumerate(turns, 1):
            if not isinstance(t, dict):
                continue
            change = t.get("anger_change", 0)
            lines.append(f"  {i}. {highlight(str(t.get('reply', '')), t.get('matches', []))}")
            cats = ", ".join(t.get("categories", [])) or "nothing recognised"
            lines.append(f"     [{cats}]  anger {t.get('anger')} ({change:+d})  {t.get('state', '')}"
                         if isinstance(change, int) else f"     [{cats}]")
            if t.get("customer"):
                lines.append(f"     Customer: {_clean(t['customer'])}")
    return "\n".join(lines) + "\n"

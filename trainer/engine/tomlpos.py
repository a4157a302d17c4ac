"""Where keys stand in a TOML source: tomllib keeps no positions, so read them off the text."""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*=""")
_PART = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+))\s*""")


def _split_key(raw: str) -> tuple[str, ...]:
    parts = []
    for piece in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', raw):
        m = _PART.fullmatch(piece)
        if m:
            parts.append(next(g for g in m.groups() if g is not None))
    return tuple(parts)


class KeyLines:
    """Maps key paths such as ("states", "calm", "lines") or ("tests", 0, "outcome") to lines."""

    def __init__(self, source: str) -> None:
        self.lines: dict[tuple, int] = {}
        table: tuple = ()
        array_counts: dict[tuple, int] = {}
        in_multiline: str | None = None
        for lineno, line in enumerate(source.splitlines(), 1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                path = _split_key(header.group(2))
                if header.group(1) == "[[":
                    n = array_counts.get(path, -1) + 1
                    array_counts[path] = n
                    table = path + (n,)
                else:
                    # A sub-table of the latest array element: [tests.expect] after [[tests]].
                    table = self._resolve(path, array_counts)
                self.lines.setdefault(table, lineno)
                continue
            key = _KEY.match(line)
            if key:
                path = table + _split_key(key.group(1))
                self.lines.setdefault(path, lineno)
                rest = line[key.end():]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_multiline = quote
                        break

    @staticmethod
    def _resolve(path: tuple, arrays: dict[tuple, int]) -> tuple:
        out: tuple = ()
        for part in path:
            out = out + (part,)
            if out in arrays:
                out = out + (arrays[out],)
        return out

    def line(self, *path) -> int:
        """The line of the deepest known prefix of path (1 when nothing is known)."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return 1

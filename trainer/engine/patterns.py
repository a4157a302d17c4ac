"""Pattern packs: loading the per-language TOML data files and compiling them for matching."""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from typing import NamedTuple
from functools import lru_cache
from importlib import resources
from pathlib import Path

from trainer.engine.categories import CATEGORY_SET, LANGUAGES
from trainer.engine.text import fold, words


# A pack group with this category fires nothing itself: it only suppresses ("Selv tak" is not
# thanking, "next, please" is not).
IGNORE = "ignore"


class PackError(Exception):
    """A pattern pack that cannot be used, with the file it came from."""

    def __init__(self, path: str, message: str, line: int = 1) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


class Phrase(NamedTuple):
    """One phrase of a pack: a category and the word slots that must appear in order."""

    category: str
    text: str  # as written in the pack, reported as the pattern that fired
    slots: tuple[tuple[tuple[str, str], ...], ...]  # per slot: alternatives (word, kind)
    negatable: bool = True
    question: bool = False
    suppresses: tuple[str, ...] = ()
    source: str = ""


@dataclass
class Settings:
    """Per-language knobs of a pack."""

    negations: set[str] = field(default_factory=set)
    negation_window: int = 3
    negation_after: int = 0  # words after a phrase that may negate it (Nordic "jeg lover ikke")
    # Words after which a negation word negates nothing: "no worries", "don't worry", "no problem".
    not_negating_before: set[str] = field(default_factory=set)
    # Words that end a negation's reach, like a comma: "it's not ok but sorry" still apologises.
    negation_stops: set[str] = field(default_factory=set)
    max_gap: int = 2
    acronyms: set[str] = field(default_factory=set)
    titles: list[str] = field(default_factory=list)
    name_words: set[str] = field(default_factory=set)
    contractions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Someone else with the customer's name: "my colleague Sten", "Sten from the warehouse".
    colleague_words: set[str] = field(default_factory=set)  # up to two words before the name
    from_words: list[tuple[str, ...]] = field(default_factory=list)  # right after the name
    # Closings before a signature ("kind regards, Chloe"): a name right after one is the writer's.
    sign_offs: list[tuple[str, ...]] = field(default_factory=list)


@dataclass
class Pack:
    """A language's phrases and settings, merged from one or more files."""

    language: str
    settings: Settings
    phrases: list[Phrase]
    sources: list[str]


@lru_cache(maxsize=None)
def _alternative(alt: str) -> tuple[list[str], str]:
    kind = "prefix" if alt.endswith("*") else "exact" if alt.startswith("=") else "word"
    return words(alt.rstrip("*").lstrip("=")), kind


def phrase_problem(text: str) -> str | None:
    """What is wrong with a phrase as written, or None: `a|b` alternatives are one word each."""
    for raw in text.split():
        choices = raw.split("|")
        if len(choices) > 1:
            for alt in choices:
                if len(words(alt.rstrip("*").lstrip("="))) > 1:
                    return (f"{alt!r} in {raw!r} is more than one word; an alternative is one "
                            f"word, so write that variant as a phrase of its own")
    return None


def parse_phrase(category: str, text: str, *, source: str, negatable: bool = True,
                 question: bool = False, suppresses: tuple[str, ...] = (),
                 contractions: dict[str, tuple[str, ...]] | None = None) -> Phrase:
    """Compile "i|we apologi*" into slots: alternatives per word.

    Each alternative is (word, kind): kind "word" tolerates typos, "prefix" (`word*`) matches
    any ending, "exact" (`=word`) must be typed as written (diacritics and case aside).
    """
    slots: list[tuple[tuple[str, str], ...]] = []
    for raw in text.split():
        alts: list[tuple[str, str]] = []
        choices = raw.split("|")
        for alt in choices:
            ws, kind = _alternative(alt)
            prefix = kind == "prefix"
            if not ws:
                continue
            if contractions and len(ws) == 1 and ws[0] in contractions and not prefix:
                expanded = contractions[ws[0]]
                if len(expanded) == 1:
                    ws = [expanded[0]]
                elif len(choices) == 1:
                    # A contraction alone in its slot stands for its expansion: several slots.
                    for w in expanded:
                        slots.append(((w, "word"),))
                    break
                else:
                    # Among alternatives it cannot stand for several words: leave it out, and
                    # keep the other alternatives ("its" in `the|its` would need two slots).
                    continue
            if len(ws) > 1 and len(choices) > 1:
                continue  # "e-mail" among alternatives cannot be one slot (phrase_problem says so)
            if len(ws) > 1:
                # "e-post" alone in its slot: keep the words as consecutive slots.
                for w in ws[:-1]:
                    slots.append(((w, "word"),))
            alts.append((ws[-1], kind))
        if alts:
            slots.append(tuple(alts))
    return Phrase(category, text, tuple(slots), negatable, question, tuple(suppresses), source)


def _read_pack(data: dict, path: str, into: Pack | None) -> Pack:
    language = data.get("language")
    if language not in LANGUAGES:
        raise PackError(path, f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    settings = into.settings if into else Settings()
    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        raise PackError(path, "settings must be a table")
    for key in ("negations", "acronyms", "name_words", "not_negating_before", "colleague_words",
                "from_words", "negation_stops", "sign_offs"):
        values = raw_settings.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise PackError(path, f"settings.{key} must be a list of strings")
    settings.negations |= {fold(w) for w in raw_settings.get("negations", [])}
    settings.acronyms |= {w.upper() for w in raw_settings.get("acronyms", [])}
    settings.name_words |= {fold(w) for w in raw_settings.get("name_words", [])}
    settings.not_negating_before |= {fold(w) for w in raw_settings.get("not_negating_before", [])}
    settings.negation_stops |= {fold(w) for w in raw_settings.get("negation_stops", [])}
    settings.titles += [t for t in raw_settings.get("titles", []) if isinstance(t, str)]
    settings.colleague_words |= {fold(w) for w in raw_settings.get("colleague_words", [])}
    settings.from_words += [tuple(words(w)) for w in raw_settings.get("from_words", []) if words(w)]
    settings.sign_offs += [tuple(words(w)) for w in raw_settings.get("sign_offs", []) if words(w)]
    for key in ("negation_window", "negation_after", "max_gap"):
        if key in raw_settings:
            value = raw_settings[key]
            if not isinstance(value, int) or not 0 <= value <= 10:
                raise PackError(path, f"settings.{key} must be a whole number 0-10")
            setattr(settings, key, value)
    contractions = raw_settings.get("contractions", {})
    if not isinstance(contractions, dict):
        raise PackError(path, "settings.contractions must be a table")
    for k, v in contractions.items():
        if not isinstance(v, str):
            raise PackError(path, f"settings.contractions.{k} must be a string")
        settings.contractions[fold(k)] = tuple(words(v))

    phrases = into.phrases if into else []
    groups = data.get("patterns", [])
    if not isinstance(groups, list):
        raise PackError(path, "patterns must be an array of tables ([[patterns]])")
    for n, group in enumerate(groups, 1):
        if not isinstance(group, dict):
            raise PackError(path, f"patterns #{n} must be a table")
        category = group.get("category")
        if category not in CATEGORY_SET and category != IGNORE:
            raise PackError(path, f"patterns #{n}: unknown category {category!r}")
        texts = group.get("phrases", [])
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise PackError(path, f"patterns #{n}: phrases must be a list of strings")
        suppresses = group.get("suppresses", [])
        if not isinstance(suppresses, list) or any(s not in CATEGORY_SET for s in suppresses):
            raise PackError(path, f"patterns #{n}: suppresses must list category names")
        negatable = group.get("negatable", True)
        question = group.get("question", False)
        if not isinstance(negatable, bool) or not isinstance(question, bool):
            raise PackError(path, f"patterns #{n}: negatable and question must be true or false")
        for text in texts:
            problem = phrase_problem(text)
            if problem:
                raise PackError(path, f"patterns #{n}: phrase {text!r}: {problem}")
            phrase = parse_phrase(
                category, text, source=path, negatable=negatable, question=question,
                suppresses=tuple(suppresses), contractions=settings.contractions,
            )
            if phrase.slots:
                phrases.append(phrase)
    if into:
        into.sources.append(path)
        return into
    return Pack(language, settings, phrases, [path])


def load_pack_file(path: Path, into: Pack | None = None, label: str | None = None) -> Pack:
    """Read one pack file (bundled or a trainer's own); label names it in matches."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(str(path), f"cannot read pattern pack: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        raise PackError(str(path), f"invalid TOML: {exc}", line) from None
    if into is not None and data.get("language") != into.language:
        raise PackError(str(path), f"pack is for {data.get('language')!r}, not {into.language!r}")
    return _read_pack(data, label or str(path), into)


def bundled_pack_path(language: str) -> Path:
    """Where the pack shipped with the package for a language lives."""
    return Path(str(resources.files("trainer.patterns").joinpath(f"{language}.toml")))


@lru_cache(maxsize=None)
def bundled_pack(language: str) -> Pack:
    """The bundled pack of one language (read once per process)."""
    if language not in LANGUAGES:
        raise PackError("<patterns>", f"unknown language {language!r}")
    return load_pack_file(bundled_pack_path(language), label=f"pack:{language}")


def pack_with_extras(language: str, extra_files: tuple[Path, ...]) -> Pack:
    """The bundled pack of a language merged with a trainer's own packs for that language."""
    base = bundled_pack(language)
    if not extra_files:
        return base
    # A copy the trainer's packs can extend; the bundled pack's settings stay as they are.
    settings = copy.deepcopy(base.settings)
    merged = Pack(language, settings, list(base.phrases), list(base.sources))
    for path in extra_files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise PackError(str(path), f"cannot read pattern pack: {exc}") from None
        if data.get("language") == language:
            _read_pack(data, str(path), merged)
    return merged

"""Analyzer mechanics that hold whatever the pattern packs say."""

from __future__ import annotations

import pytest

from trainer.engine.analyzer import MAX_ANALYZED_CHARS, analyze
from trainer.engine.categories import LANGUAGES
from trainer.engine.patterns import bundled_pack
from trainer.engine.text import fold, tokenize


def test_fold_strips_diacritics_and_special_letters():
    assert fold("Dziękuję Łukasz") == "dziekuje lukasz"
    assert fold("Forlåt, søster, æble") == "forlat, soster, aeble"


def test_token_offsets_point_into_the_text_as_typed():
    text = "Ål 😀 straße, ĄĘ"
    for tok in tokenize(text):
        assert fold(text[tok.start:tok.end]) == tok.text


def test_spans_are_code_point_offsets_even_after_emoji():
    text = "😀😀 sorry"
    a = analyze(text, "en")
    m = next(m for m in a.matches if m.category == "apologizing")
    assert text[m.start:m.end] == "sorry"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_a_pack_with_all_phrase_categories(lang):
    pack = bundled_pack(lang)
    cats = {p.category for p in pack.phrases}
    phrase_based = {"acknowledging", "apologizing", "thanking", "inviting", "summarizing",
                    "owning", "solving", "justifying", "blaming", "joking", "arguing",
                    "condescending", "dismissing", "overpromising"}
    assert phrase_based <= cats


def test_negation_cancels_a_bad_phrase():
    assert "blaming" in analyze("That was your fault.", "en").categories
    assert "blaming" not in analyze("It's not your fault.", "en").categories


def test_sorry_you_feel_that_way_is_dismissing_not_apologizing():
    cats = analyze("I'm sorry you feel that way.", "en").categories
    assert "dismissing" in cats and "apologizing" not in cats


def test_shouting_from_capitals_and_repeated_exclamation_marks():
    assert "shouting" in analyze("I SAID WAIT", "en").categories
    assert "shouting" in analyze("Wait!!!", "en").categories
    assert "shouting" not in analyze("Please send your IBAN and PIN!", "en").categories
    assert "shouting" not in analyze("Thanks!", "en").categories


def test_a_short_word_in_capitals_is_shouting_when_it_is_a_word_not_an_abbreviation():
    assert "shouting" in analyze("I did NOT say that", "en").categories
    assert "shouting" in analyze("NIE, tego nie powiedziałam", "pl").categories
    assert "shouting" in analyze("NEJ, det har jeg ikke sagt", "da").categories
    # with the diacritics the pack's own words have lost in folding: "LÄS" is the word "läs"
    assert "shouting" in analyze("Paketet kom i går, LÄS mejlet", "sv").categories
    for text in ("Call the IT desk", "It went by DPD", "Your PIN is on the letter"):
        assert "shouting" not in analyze(text, "en").categories, text


def test_polish_vocative_counts_as_the_customers_name():
    a = analyze("Pani Moniko, jestem tutaj.", "pl", ["Monika Nowak"])
    m = next(m for m in a.matches if m.category == "naming")
    assert "Pani Moniko" == "Pani Moniko, jestem tutaj."[m.start:m.end]
    assert "naming" in analyze("Panie Tomaszu, rozumiem.", "pl", ["Tomasz Wiśniewski"]).categories
    assert "naming" in analyze("Panie Marku, rozumiem.", "pl", ["Marek Zając"]).categories


def test_another_persons_name_is_not_naming():
    assert "naming" not in analyze("My colleague Anna will call you.", "en", ["Monika Nowak"]).categories


def test_a_name_that_is_a_common_word_needs_a_capital():
    assert "naming" not in analyze("Jeg sender det per e-post.", "nb", ["Per Hansen"]).categories
    assert "naming" in analyze("Per, jeg sender det på e-post.", "nb", ["Per Hansen"]).categories


def test_huge_reply_is_analysed_in_bounded_time():
    text = "sorry " * 20000
    a = analyze(text, "en")
    assert a.truncated
    assert all(m.end <= MAX_ANALYZED_CHARS for m in a.matches if m.category != "shouting")


@pytest.mark.parametrize("text", ["", " ", "\x00\x1b[31m", "[bold]x[/]", "\ud800 sorry",
                                  "مرحبا آسف", "🙂" * 50, "\n\n\n"])
def test_odd_replies_do_not_crash(text):
    analyze(text, "en", ["Sam"])


def test_laughing_faces_are_joking_a_plain_smile_is_not():
    assert "joking" in analyze("Well, that happens :D", "en").categories
    assert "joking" in analyze("Nie ma problemu 😂", "pl").categories
    assert "joking" not in analyze("I'll send it today 🙂", "en").categories
    assert "joking" not in analyze("See https://example.com/a:b", "en").categories


def test_exact_words_take_no_typos(tmp_path):
    from trainer.engine.analyzer import Analyzer

    pack = tmp_path / "x.patterns.toml"
    pack.write_text('language = "en"\n[[patterns]]\ncategory = "overpromising"\n'
                    'phrases = ["=lover promise"]\n', encoding="utf-8")
    an = Analyzer("en", extra_packs=(pack,))
    assert "overpromising" in an.analyze("lover promise").categories
    assert "overpromising" not in an.analyze("laver promise").categories


def test_polish_short_names_and_diminutives_after_a_title():
    names = ["Ewa Nowak", "Katarzyna Lis", "Tomasz Wójcik"]
    assert "naming" in analyze("Pani Ewo, przepraszam.", "pl", names).categories
    assert "naming" in analyze("Pani Kasiu, rozumiem.", "pl", names).categories
    assert "naming" in analyze("Panie Tomku, już sprawdzam.", "pl", names).categories
    assert "naming" not in analyze("Kasa jest zamknięta.", "pl", names).categories
    assert "naming" not in analyze("Ewentualnie mogę to sprawdzić.", "pl", names).categories


def test_a_common_word_name_at_a_sentence_start_needs_a_comma():
    assert "naming" not in analyze("Per e-post sender vi kvitteringen.", "nb", ["Per Hansen"]).categories
    assert "naming" in analyze("Per, vi sender kvitteringen.", "nb", ["Per Hansen"]).categories


def test_a_contraction_among_alternatives_keeps_the_other_alternatives():
    from trainer.engine.patterns import parse_phrase

    contractions = {"its": ("it", "is"), "im": ("i", "am")}
    p = parse_phrase("thanking", "thanks to the|its", source="t", contractions=contractions)
    assert p.slots[-1] == (("the", "word"),)
    alone = parse_phrase("apologizing", "im sorry", source="t", contractions=contractions)
    assert [slot[0][0] for slot in alone.slots] == ["i", "am", "sorry"]


def test_compiled_pack_cache_gives_the_same_analysis_and_survives_garbage(tmp_path, monkeypatch):
    from trainer.engine import analyzer as A

    monkeypatch.setenv("TRAINER_CACHE", str(tmp_path))
    text = "Karen, I'm so sorry. It's not your fault, I'll send a replacement tomorrow!!"
    A._index_for.cache_clear()
    fresh = A.Analyzer("en", ("Karen",)).analyze(text)  # compiles and writes the cache
    files = list((tmp_path / "packs").glob("en-*.marshal"))
    assert len(files) == 1
    A._index_for.cache_clear()
    cached = A.Analyzer("en", ("Karen",)).analyze(text)  # read back from the cache
    assert cached.matches == fresh.matches
    files[0].write_bytes(b"garbage")
    A._index_for.cache_clear()
    assert A.Analyzer("en", ("Karen",)).analyze(text).matches == fresh.matches
    A._index_for.cache_clear()


def test_precompiled_packs_shipped_in_a_wheel_are_used_without_compiling(tmp_path, monkeypatch):
    """What hatch_build.py puts in trainer/_compiled is read as is; nothing goes to the cache."""
    from trainer.engine import analyzer as A

    shipped, cache = tmp_path / "shipped", tmp_path / "cache"
    monkeypatch.setenv("TRAINER_CACHE", str(cache))
    written = A.compile_bundled(shipped)
    assert sorted(p.name.split("-")[0] for p in written) == ["da", "en", "nb", "pl", "sv"]
    text = "Karen, I'm so sorry. It's not your fault, I'll send a replacement tomorrow!!"
    A._index_for.cache_clear()
    expected = A.Analyzer("en", ("Karen",)).analyze(text)  # compiled the usual way
    for old in (cache / "packs").glob("*"):
        old.unlink()
    monkeypatch.setattr(A, "SHIPPED_DIR", shipped)
    monkeypatch.setattr(A.PhraseIndex, "__init__", None)  # compiling now would raise TypeError
    A._index_for.cache_clear()
    try:
        assert A.Analyzer("en", ("Karen",)).analyze(text).matches == expected.matches
        assert not list((cache / "packs").glob("*"))
    finally:
        A._index_for.cache_clear()


def test_a_phrase_word_that_comes_twice_is_tried_at_each_place():
    """Not only the nearest "blip": the one after it leaves "quax" within reach."""
    from trainer.engine.analyzer import Analyzer
    from trainer.engine.patterns import parse_phrase

    phrase = parse_phrase("solving", "zorp blip quax", source="test")
    analyzer = Analyzer("en", extra_phrases=[phrase])
    assert "solving" in analyzer.analyze("zorp blip blip one two quax").categories
    assert "solving" not in analyzer.analyze("zorp blip one two three quax").categories


@pytest.mark.parametrize(("text", "language", "names"), [
    ("Jeg beder Sten fra lageret om at pakke den om i dag.", "da", ["Sten Berg"]),
    ("Min kollega Maria hjälper dig gärna med resten.", "sv", ["Maria Holm"]),
    ("Pan Kowalski z działu reklamacji oddzwoni jutro.", "pl", ["Jan Kowalski"]),
    ("Kolega Tomasz oddzwoni jutro.", "pl", ["Tomasz Wiśniewski"]),
])
def test_a_colleague_who_shares_the_customers_name_is_not_naming(text, language, names):
    assert "naming" not in analyze(text, language, names).categories


@pytest.mark.parametrize(("text", "language", "names"), [
    ("The replacement is on its way. Kind regards, Sarah", "en", ["Sarah Lee"]),
    ("Pakken er sendt i dag.\nMed venlig hilsen\nMette", "da", ["Mette Jensen"]),
    ("Fakturan är krediterad. Mvh Johan", "sv", ["Johan Berg"]),
    ("Zwrot został zlecony. Pozdrawiam, Anna", "pl", ["Anna Nowak"]),
])
def test_the_writers_own_signature_is_not_naming(text, language, names):
    assert "naming" not in analyze(text, language, names).categories


@pytest.mark.parametrize(("text", "language", "names"), [
    ("Hei Per, pakken er sendt. Vennlig hilsen Ola", "nb", ["Per Hansen"]),
    ("Sarah, your refund is on its way. Best regards, Tom", "en", ["Sarah Lee"]),
    ("Sten, fra i morgen er det ordnet.", "da", ["Sten Berg"]),
    ("Maria, min kollega hjälper dig gärna.", "sv", ["Maria Holm"]),
    ("Panie Janie, z przyjemnością to sprawdzę.", "pl", ["Jan Kowalski"]),
])
def test_the_customer_is_still_named_next_to_those_words(text, language, names):
    assert "naming" in analyze(text, language, names).categories


def test_a_name_that_is_a_common_word_counts_in_lower_case_only_set_apart():
    assert "naming" in analyze("Beklager så mye, per. Jeg ringer i morgen.", "nb", ["Per"]).categories
    assert "naming" not in analyze("Jeg sender det per e-post.", "nb", ["Per"]).categories


def test_a_name_as_the_first_part_of_a_hyphenated_word_is_not_naming():
    assert "naming" not in analyze("Jag drar av RUT-avdraget direkt.", "sv", ["Rut Ek"]).categories
    assert "naming" in analyze("Anna-Maria, jeg ringer deg.", "nb", ["Anna-Maria Berg"]).categories


def test_the_full_stop_of_an_abbreviation_does_not_end_the_sentence():
    from trainer.engine.text import tokenize

    def sentences(text):
        return [t.sentence for t in tokenize(text)]

    assert len(set(sentences("Det er forsinket pga. vejret"))) == 1
    assert len(set(sentences("Det er f.eks. sådan, bl.a. i dag"))) == 1
    assert len(set(sentences("Vi ses kl. 14"))) == 1
    assert len(set(sentences("It is done. Thanks"))) == 2
    assert len(set(sentences("I came in. Then we talked"))) == 2


def test_a_full_stop_inside_a_number_does_not_end_the_sentence():
    from trainer.engine.text import tokenize

    tokens = tokenize("Så det koster 8.000 kr?")
    assert len({t.sentence for t in tokens}) == 1 and all(t.question for t in tokens)


def test_a_negation_among_a_phrases_alternatives_protects_only_the_match_that_uses_it():
    from trainer.engine.analyzer import Analyzer
    from trainer.engine.patterns import parse_phrase

    phrase = parse_phrase("arguing", "zorp something|nothing quax", source="test")
    analyzer = Analyzer("en", extra_phrases=[phrase])
    assert "arguing" in analyzer.analyze("We zorp nothing quax.").categories
    assert "arguing" in analyzer.analyze("We zorp something quax.").categories
    assert "arguing" not in analyzer.analyze("We never zorp something quax.").categories
    assert "arguing" in analyzer.analyze("We never zorp nothing quax.").categories


def test_a_negation_does_not_reach_past_but():
    assert "apologizing" in analyze("its not ok but sorry", "en").categories
    assert "thanking" in analyze("Det er ikke optimalt men tak for din tålmodighed", "da").categories
    assert "apologizing" not in analyze("I am not sorry", "en").categories


def test_an_ordinal_date_does_not_end_the_sentence():
    from trainer.engine.text import tokenize

    assert len({t.sentence for t in tokenize("Du får den senest 3. mai, Per.")}) == 1
    assert len({t.sentence for t in tokenize("Det koster 300. Tak")}) == 2


def test_an_ellipsis_before_a_lower_case_word_is_a_pause_not_a_sentence_end():
    from trainer.engine.text import tokenize

    tokens = tokenize("Tack för ditt tålamod... eller brist på det.")
    assert len({t.sentence for t in tokens}) == 1 and len({t.clause for t in tokens}) == 2
    assert len({t.sentence for t in tokenize("Ok... I will check.")}) == 2

"""Language data files are checked as strictly as rule files: a misspelled key or a value of the wrong
shape is one error naming the file, line and key (with a did-you-mean), from the Python API and the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from datasette_palmyra import language

PALMYRA = Path(sys.executable).parent / "palmyra"


@pytest.fixture
def user_language(tmp_path, monkeypatch):
    """A user's folder of language files, searched before the shipped ones (PALMYRA_LANGUAGES)."""
    folder = tmp_path / "langs" / "en"
    folder.mkdir(parents=True)
    monkeypatch.setenv("PALMYRA_LANGUAGES", str(tmp_path / "langs"))
    language.load_language.cache_clear()
    yield folder
    language.load_language.cache_clear()


@pytest.mark.parametrize("content, message", [
    ("month_part:\n  early: [1, 10]\n", "extra.yml:1:1: unknown key 'month_part' in a language file; did you mean "
                                         "'month_parts'?"),
    ("approx_words: [around]\nweekend_word: [weekend]\n", "extra.yml:2:1: unknown key 'weekend_word'"),
    ("quarter_codes: [x]\n", "extra.yml:1:1: 'quarter_codes' must be a bool, not a sequence"),
    ("quarter_codes: yes please\n", "extra.yml:1:1: 'quarter_codes' must be true or false, not 'yes please'"),
    ("year_parts: [early]\n", "extra.yml:1:1: 'year_parts' must be a mapping, not a sequence"),
    ("approx_words:\n  around: 1\n", "'approx_words' must be a list, not a mapping"),
])
def test_a_bad_language_file_names_its_line(user_language, content, message):
    (user_language / "extra.yml").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="^" + str(user_language).replace("\\", "\\\\") + "/") as e:
        language.load_language("en")
    assert message in str(e.value)


def test_a_good_user_file_extends_the_language(user_language):
    (user_language / "extra.yml").write_text("approx_words: [circa-ish]\nyear_parts:\n  yearly-early: [1, 3]\n",
                                             encoding="utf-8")
    lang = language.load_language("en")
    assert "circa-ish" in lang.words("approx_words") and "around" in lang.words("approx_words")
    assert lang.mapping("year_parts")["yearly-early"] == [1, 3]


def test_the_cli_says_it_in_one_line(user_language, tmp_path):
    (user_language / "extra.yml").write_text("month_part:\n  early: [1, 10]\n", encoding="utf-8")
    r = subprocess.run([str(PALMYRA), "extract", "--lang", "en", "--published", "2016-01-01"], input="in early March",
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1].endswith(
        "extra.yml:1:1: unknown key 'month_part' in a language file; did you mean 'month_parts'?")
    assert r.stdout == ""


_TYPES = {"list": list, "mapping": dict, "bool": bool, "text": str}


@pytest.mark.parametrize("code", language.available_languages())
def test_every_shipped_key_is_declared(code):
    """Every key a shipped language holds is in languages/keys.yml, with a value of the declared type."""
    data = language.load_language(code).data
    keys = language.known_keys()
    assert data
    undeclared = sorted(set(data) - set(keys))
    assert not undeclared, undeclared
    wrong = sorted(k for k, v in data.items() if v is not None and not isinstance(v, _TYPES[keys[k]]))
    assert not wrong, wrong


def test_keys_yml_lists_only_keys_some_language_holds():
    held = set()
    for code in language.available_languages():
        held |= set(language.load_language(code).data)
    assert set(language.known_keys()) <= held

"""The seed-format reader (DESIGN §4.1): the real seed article, tolerated variations,
the `` - `` rule inside bullets, and every malformed case with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.data.invalid import InvalidRecordError
from benchmark.data.seed import read_seed_file, split_bullets
from benchmark.paths import BUNDLED_DATASET

SEED_FILE = BUNDLED_DATASET / "000_04dacd3f9b1a1c24.txt"

CLEAN = (
    "date 2024-03-05 - السياسة: زار الوزير دمشق. - الاقتصاد: ارتفعت الأسعار.\n"
    "\n"
    "الفقرة الأولى من المقال.\n"
    "\n"
    "الفقرة الثانية من المقال.\n"
)


def write(tmp_path: Path, content: str | bytes, name: str = "article.txt") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_bundled_seed_article_has_three_headed_bullets_and_its_date():
    example = read_seed_file(SEED_FILE)
    # The seed's header holds three "heading: sentence" bullets (read off the file).
    assert example.meta["headings"] == [
        "العلاقات السورية الروسية والتعاون العسكري",
        "التعاون الاستراتيجي والسياسي",
        "التعاون الاقتصادي وإعادة الإعمار",
    ]
    assert len(example.bullets) == 3
    for bullet, heading in zip(example.bullets, example.meta["headings"]):
        assert bullet.startswith(heading + ": ")  # the heading stays in the bullet
    assert example.bullets[0].endswith("وإيقاف تجارة المخدرات.")
    assert example.date == "2025-12-24"
    assert example.id == "000_04dacd3f9b1a1c24"
    assert example.source == "000_04dacd3f9b1a1c24.txt"  # a file name, not a path
    # Nine body paragraphs, each one line between blank lines.
    paragraphs = example.article.split("\n")
    assert len(paragraphs) == 9
    assert paragraphs[0].startswith("أعلن وزير الخارجية السوري أسعد الشيباني")
    assert paragraphs[-1].endswith("وعدد من المجالات الأخرى.")


def test_shared_seed_copy_parses_the_same(shared_dir):
    shared = read_seed_file(shared_dir / "seed" / SEED_FILE.name)
    assert shared == read_seed_file(SEED_FILE)


@pytest.mark.parametrize("variant", [
    pytest.param(lambda text: "\ufeff" + text, id="bom"),
    pytest.param(lambda text: text.replace("\n", "\r\n"), id="crlf"),
    pytest.param(lambda text: text.replace("\n", "\r"), id="old-mac-cr"),
    pytest.param(lambda text: "   " + text.replace("\n", "\n  "), id="leading-spaces"),
    pytest.param(lambda text: text.replace("\n", " \t\n"), id="trailing-whitespace"),
    pytest.param(lambda text: "\n\n" + text.replace("\n\n", "\n\n\n\n") + "\n\n\n",
                 id="extra-blank-lines"),
    pytest.param(lambda text: "\ufeff  " + text.replace("\n", "  \r\n\r\n"), id="all-at-once"),
])
def test_tolerated_variations_parse_like_the_clean_file(tmp_path, variant):
    clean = read_seed_file(write(tmp_path, CLEAN, "clean.txt"))
    varied = read_seed_file(write(tmp_path, variant(CLEAN), "clean.txt"))
    assert varied == clean
    assert clean.bullets == ("السياسة: زار الوزير دمشق.", "الاقتصاد: ارتفعت الأسعار.")
    assert clean.article == "الفقرة الأولى من المقال.\nالفقرة الثانية من المقال."


def test_dash_inside_a_headed_bullet_stays_in_the_bullet(tmp_path):
    # "3 - 2" and "- وهو رقم قياسي -" follow " - " without a "heading:" after it, so they
    # belong to the bullet; only " - الاقتصاد:" starts a new one.
    text = ("date 2024-03-05 - الرياضة: فاز الفريق 3 - 2 على ضيفه - وهو رقم قياسي - "
            "هذا الموسم. - الاقتصاد: ارتفعت الأسعار.\n\nنص المقال.\n")
    example = read_seed_file(write(tmp_path, text))
    assert example.bullets == (
        "الرياضة: فاز الفريق 3 - 2 على ضيفه - وهو رقم قياسي - هذا الموسم.",
        "الاقتصاد: ارتفعت الأسعار.",
    )
    assert example.meta["headings"] == ["الرياضة", "الاقتصاد"]


def test_without_headings_every_spaced_dash_separates(tmp_path):
    # No "heading:" on the first bullet: plain mode, three bullets, no meta["headings"];
    # the hyphen in "كوفيد-19" has no spaces around it and never separates.
    text = "date 2024-03-05 - زار الوزير دمشق - ارتفعت حالات كوفيد-19 - انتهى\n\nنص.\n"
    example = read_seed_file(write(tmp_path, text))
    assert example.bullets == ("زار الوزير دمشق", "ارتفعت حالات كوفيد-19", "انتهى")
    assert "headings" not in example.meta


@pytest.mark.parametrize("header, bullets, headings", [
    # a colon after a clause with a comma is not a heading: glued to the previous bullet
    ("أ: جملة - قال، بعد ذلك: شيء", ["أ: جملة - قال، بعد ذلك: شيء"], ["أ"]),
    # nine words before the colon: too long for a heading
    ("أ: جملة - و1 و2 و3 و4 و5 و6 و7 و8 و9: شيء", ["أ: جملة - و1 و2 و3 و4 و5 و6 و7 و8 و9: شيء"],
     ["أ"]),
    # eight words is still a heading
    ("أ: جملة - و1 و2 و3 و4 و5 و6 و7 و8: شيء", ["أ: جملة", "و1 و2 و3 و4 و5 و6 و7 و8: شيء"],
     ["أ", "و1 و2 و3 و4 و5 و6 و7 و8"]),
    # a clock time "10:30" has no space after the colon: not a heading, plain mode
    ("الساعة 10:30 صباحا - انتهى", ["الساعة 10:30 صباحا", "انتهى"], None),
    # a dangling separator at the end adds no empty bullet
    ("أ - ب -", ["أ", "ب"], None),
])
def test_split_bullets_rule(header, bullets, headings):
    assert split_bullets(header) == (bullets, headings)


_words = st.lists(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي", min_size=1, max_size=6),
                  min_size=1, max_size=4).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(_words, min_size=1, max_size=2).map(" ".join),
                          st.lists(_words, min_size=1, max_size=3).map(" - ".join)),
                min_size=1, max_size=5))
def test_headed_bullets_round_trip_even_with_inner_dashes(parts):
    # Bullets "heading: a - b" joined by " - " split back into exactly the same bullets.
    bullets = [f"{heading}: {sentence}" for heading, sentence in parts]
    assert split_bullets(" - ".join(bullets)) == (bullets, [h for h, _ in parts])


@settings(max_examples=150, deadline=None)
@given(st.lists(_words, min_size=1, max_size=6))
def test_plain_bullets_round_trip(bullets):
    assert split_bullets(" - ".join(bullets)) == (bullets, None)


# Each malformed file: (content, expected line, words the message must contain).
MALFORMED = {
    "no-date-line": ("السياسة: زار الوزير دمشق.\n\nنص.\n", 1, "no date line"),
    "no-date-line-after-blanks": ("\n\n  2024-03-05 - أ: ب\n\nنص.\n", 3, "no date line"),
    "impossible-date": ("date 2024-02-30 - أ: ب\n\nنص.\n", 1, "bad date '2024-02-30'"),
    "day-first-date": ("date 05-03-2024 - أ: ب\n\nنص.\n", 1, "bad date '05-03-2024'"),
    "no-bullets": ("date 2024-03-05\n\nنص.\n", 1, "no bullets"),
    "only-a-dash": ("date 2024-03-05 - \n\nنص.\n", 1, "no bullets"),
    "no-separator": ("date 2024-03-05 أ: ب\n\nنص.\n", 1, "expected ' - '"),
    "empty-body": ("date 2024-03-05 - أ: ب\n\n\n", 2, "empty body"),  # the line after
    "header-only": ("date 2024-03-05 - أ: ب", 1, "empty body"),
    "empty-file": ("", 1, "empty file"),
    "whitespace-only": ("  \n\t\n", 1, "empty file"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_names_file_and_line(tmp_path, case):
    content, line, words = MALFORMED[case]
    path = write(tmp_path, content)
    with pytest.raises(InvalidRecordError) as caught:
        read_seed_file(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_not_utf8_names_the_line_of_the_bad_byte(tmp_path):
    # Windows-1256 Arabic on line 3: its first byte 0xe4 ("ن") is not valid UTF-8 there.
    content = "date 2024-03-05 - أ: ب\n\n".encode("utf-8") + "نص المقال".encode("cp1256")
    path = write(tmp_path, content)
    with pytest.raises(InvalidRecordError, match=r":3: not UTF-8 text \(byte 0xe4\)"):
        read_seed_file(path)


def test_binary_file_names_the_line_of_the_nul_byte(tmp_path):
    path = write(tmp_path, b"date 2024-03-05 - a\n\n\x89PNG\x00\x00\x01")
    with pytest.raises(InvalidRecordError, match=r":3: binary file"):
        read_seed_file(path)

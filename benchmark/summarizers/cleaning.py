"""Cleaning a chat model's answer into bullets as lines (DESIGN §8).

Chat models wrap a summary in things the reference never contains: a reasoning block
(``<think>...</think>``, sometimes cut off unclosed by the token limit), a preamble
(«إليك ملخصاً للمقال:», «فيما يلي أهم النقاط:», "Sure! Here is..."), a heading
(«الملخص:»), markdown bullets (``-``, ``*``, ``•``), numbering (``1.``, ``١-``), bold
markers and a closing courtesy line («آمل أن يكون هذا مفيداً»). Left in, they count as
summary words and lower every metric for reasons unrelated to content. The summarizer
keeps the uncleaned answer in `Prediction.raw`.
"""

from __future__ import annotations

import regex

_THINK_BLOCK = regex.compile(r"<think(?:ing)?>.*?</think(?:ing)?>",
                             regex.IGNORECASE | regex.DOTALL)
_THINK_CLOSE = regex.compile(r"</think(?:ing)?>", regex.IGNORECASE)
_THINK_OPEN = regex.compile(r"<think(?:ing)?>", regex.IGNORECASE)

_BOLD = regex.compile(r"\*\*|__")
_HEADING = regex.compile(r"^#{1,6}\s*")
# A list marker: a bullet sign, or 1-2 digits (Latin, Arabic-Indic or Persian) followed
# by "." or ")" (not "1.5": no digit may follow) or by a dash.
_MARKER = regex.compile(
    r"^(?:[-*•·▪◦‣–—+]|\(?(?:\d{1,2}|[٠-٩]{1,2}|[۰-۹]{1,2})(?:[.)](?!\d)|\s*[-–](?!\d)))\s*")
_INTERJECTION = regex.compile(
    r"^(?:بالتأكيد|بالطبع|حسن[اً]*|نعم|أكيد|sure|certainly|of course|okay|ok)\b[\s!.,،:]*",
    regex.IGNORECASE)
# Openings that only ever introduce what follows («إليك», «فيما يلي», "here is")...
_PREAMBLE = regex.compile(
    r"^(?:[اإأ]ليكم|[اإأ]ليك|في\s*ما\s*يلي|فيما\s*يلي|ها\s+هو|ها\s+هي"
    r"|here\s+is|here's|here\s+are|below\s+is)\b", regex.IGNORECASE)
# ...and demonstratives that also open news sentences («هذه النقاط التي أعلنها الوزير...»).
_DEMONSTRATIVE = regex.compile(r"^(?:هذا\s+هو|هذه\s+هي|هذا|هذه|وهذا|وهذه)\b")
_SUMMARY_WORD = regex.compile(r"ملخص|تلخيص|خلاص[ةه]|نقاط|النقاط|summary|points|bullet",
                              regex.IGNORECASE)
_HEADING_WORDS = regex.compile(
    r"^(?:ال)?(?:ملخص|تلخيص|خلاص[ةه]|نقاط|أبرز|أهم|summary|tl;?dr)\b", regex.IGNORECASE)
_POSTAMBLE = regex.compile(
    r"^(?:آمل|[اأ]تمنى|[اأ]رجو\s+[اأ]ن|هل\s+تريد|هل\s+ترغب|[اإ]ذا\s+كنت\s+تريد|"
    r"i\s+hope|let\s+me\s+know)\b", regex.IGNORECASE)
_MAX_PREAMBLE_WORDS = 20
_MAX_DEMONSTRATIVE_WORDS = 6  # «هذا ملخص المقال» yes; a full sentence about «النقاط» no


def strip_think(text: str) -> str:
    """Remove reasoning blocks: closed ones, the text before an orphan ``</think>``
    (templates that open the block in the prompt) and an unclosed trailing one."""
    text = _THINK_BLOCK.sub("", text)
    closes = list(_THINK_CLOSE.finditer(text))
    if closes:
        text = text[closes[-1].end():]
    opened = _THINK_OPEN.search(text)
    if opened:
        text = text[:opened.start()]
    return text


def clean_summary(text: str) -> str:
    """`text` without reasoning, preamble, headings and list markup: one bullet a line."""
    lines = [_clean_line(line) for line in strip_think(text).splitlines()]
    lines = [line for line in lines if line]
    while lines and _is_preamble(lines[0]):
        lines.pop(0)
    while lines and _POSTAMBLE.match(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def _clean_line(line: str) -> str:
    line = _BOLD.sub("", line).strip()
    line = _HEADING.sub("", line)
    previous = None
    while previous != line:  # "- 1. text" has two markers
        previous = line
        line = _MARKER.sub("", line, count=1)
    return line.strip()


def _is_preamble(line: str) -> bool:
    """An opening line that introduces the summary instead of being part of it."""
    rest = _INTERJECTION.sub("", line, count=1).strip()
    if not rest:
        return True  # a bare "بالتأكيد!" or "Sure."
    words = len(rest.split())
    if words > _MAX_PREAMBLE_WORDS:
        return False
    if _PREAMBLE.match(rest) and (rest.endswith(":") or _SUMMARY_WORD.search(rest)):
        return True
    if _DEMONSTRATIVE.match(rest) and (rest.endswith(":") or (
            words <= _MAX_DEMONSTRATIVE_WORDS and _SUMMARY_WORD.search(rest))):
        return True
    return bool(_HEADING_WORDS.match(rest)) and (rest.endswith(":") or words <= 3)

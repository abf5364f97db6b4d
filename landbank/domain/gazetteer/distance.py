"""Edit distance between names (:func:`levenshtein`) and a cheap lower bound of it
(:class:`Word`), so that the nearest names of a typo are found without computing the distance
to every name."""

from __future__ import annotations

from dataclasses import dataclass


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class Word:
    """A name with its characters, for a quick lower bound of the edit distance."""

    text: str
    chars: frozenset[str]
    repeats: bool  # a character twice (峰峰矿区): the set undercounts the characters in common

    @classmethod
    def of(cls, text: str) -> Word:
        chars = frozenset(text)
        return cls(text, chars, len(chars) < len(text))

    def bound(self, other: Word) -> int:
        """At most ``levenshtein(self.text, other.text)``: the longer length less the characters
        in common."""
        common_chars = self.chars & other.chars
        if self.repeats or other.repeats:
            common = sum(min(self.text.count(c), other.text.count(c)) for c in common_chars)
        else:
            common = len(common_chars)
        return max(len(self.text), len(other.text)) - common

"""The FAQ search engine: an inverted index over folded terms, scored by IDF-weighted coverage.

Why coverage rather than plain BM25: a citizen's question is short, and what decides whether
an entry answers it is how much of *the question* the entry accounts for. A question whose
distinctive words ("ly hôn", "giá vàng") appear in no entry is out of scope however well its
common words ("thủ tục", "giấy tờ") match, so unknown words weigh as much as the rarest known
ones. Bigrams carry word order ("thời hiệu" is not "hiệu lực thời gian"); rapidfuzz breaks
ties between close candidates and repairs typos against the index vocabulary.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from knowledge.entries import Entry, EntryStatus, menu_rank
from knowledge.normalize import normalize, tokens, without_fillers

# Words that say little about the topic of a question. They still count, weakly, so that a
# question made only of them ("cho toi hoi") is not an exact match for everything.
STOPWORDS = frozenset(
    """
    a ah ai anh ba bac biet bo cac cai can cau chi cho chu chuyen co cua cung da dang day de den
    di do em gi gio hay hoi ha khi khong la lam lai len ma may minh mot muon nao nay neu nhe nhi
    nhieu nhu nhung nguoi o oi ong phai ra roi sao se tai the thi thuong toi tren trong tu va vay
    ve vi voi vui long xin nhe chao duoc bi con hoac bay xong hien luc sau vao bao gom kieu
    """.split()
)
STOPWORD_WEIGHT = 0.15
BIGRAM_WEIGHT = 1.4
# Most unknown bigrams are just two ordinary words side by side ("họp lần"); they count
# against a question only a little, while an unknown content word counts fully.
UNKNOWN_BIGRAM_FACTOR = 0.35
NUMBER_WEIGHT = 0.4
TYPO_WEIGHT = 0.8
MIN_TYPO_LEN = 4
# A word this long may carry two typos ("giai quyt" is one edit, "khieu nia" one transposition);
# shorter words are repaired by one edit only, or by their neighbour (see ``_in_context``).
TWO_EDITS_LEN = 7
# A swapped pair ("công khai ngân sách ở đâu" / "ở đâu ... công khai") still counts, a little
# less than the pair in the entry's own order.
REVERSED_BIGRAM_FACTOR = 0.8

# Field weights: the phrasings say what an entry is about; its answer only hints.
QUESTION_FIELD = 1.0
KEYWORD_FIELD = 1.0
TOPIC_FIELD = 0.6
ANSWER_FIELD = 0.35

# Confidence bands, tuned on the development set and on our own held-out phrasings.
HIGH = 0.50
LOW = 0.47
# A high score that barely beats a different entry is read back instead of answered.
MARGIN = 0.015
# ...and so is one whose entry leaves a good part of the question's own words unexplained.
MIN_RECALL = 0.8
# How close another entry must be to be offered as a related question.
RELATED_MIN = 0.3


class Confidence(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float


@dataclass(frozen=True)
class SearchResult:
    confidence: Confidence
    matches: tuple[Match, ...]

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


def _terms(words: Sequence[str]) -> dict[str, float]:
    """Query-side term weights: content unigrams, weak stopwords, and content bigrams."""
    weights: dict[str, float] = {}
    for word in words:
        if word in STOPWORDS:
            weight = STOPWORD_WEIGHT
        elif word.isdigit():
            weight = NUMBER_WEIGHT
        else:
            weight = 1.0
        weights[word] = max(weights.get(word, 0.0), weight)
    # Only truly adjacent words: skipping a stopword would invent pairs ("khiếu nại [bao] lâu")
    # that match some other entry's phrasing by accident.
    for left, right in pairwise(words):
        if left not in STOPWORDS and right not in STOPWORDS:
            weights[f"{left} {right}"] = BIGRAM_WEIGHT
    return weights


def _doc_terms(text: str) -> set[str]:
    return set(_terms(tokens(text)))


class FaqIndex:
    """An immutable search index over published entries; rebuild it when the KB changes."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        # Sorted by id so ties rank the same whether entries came from YAML or the database.
        self.entries: tuple[Entry, ...] = tuple(
            sorted((e for e in entries if e.status is EntryStatus.published), key=lambda e: e.id)
        )
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._phrasings: list[tuple[str, ...]] = []
        # Everything an entry says, to tell whether a marked word of a question ("căn cước")
        # is one the entry itself uses.
        self._about: list[str] = []
        self._terms_of: list[frozenset[str]] = []
        # Stopword terms per entry: added only to the few candidates, never scanned for all.
        self._weak: list[dict[str, float]] = []
        for position, entry in enumerate(self.entries):
            field_of: dict[str, float] = {}
            fields = [
                (QUESTION_FIELD, list(entry.questions)),
                (KEYWORD_FIELD, list(entry.keywords)),
                (TOPIC_FIELD, [entry.topic]),
                (ANSWER_FIELD, [entry.answer]),
            ]
            for weight, texts in fields:
                for text in texts:
                    for term in _doc_terms(text):
                        if field_of.get(term, 0.0) < weight:
                            field_of[term] = weight
            for term, weight in field_of.items():
                postings[term].append((position, weight))
            self._terms_of.append(frozenset(field_of))
            self._weak.append({t: w for t, w in field_of.items() if t in STOPWORDS})
            self._phrasings.append(tuple(normalize(q) for q in entry.questions))
            own = (*entry.questions, *entry.keywords, entry.topic, entry.answer)
            self._about.append(" " + " | ".join(normalize(t) for t in own) + " ")
        # Arrays per term so scoring a query is a few vectorised adds, even at 5 000 entries.
        self._postings = {
            term: (
                np.fromiter((pos for pos, _ in plist), dtype=np.int32, count=len(plist)),
                np.fromiter((w for _, w in plist), dtype=np.float64, count=len(plist)),
            )
            for term, plist in postings.items()
        }
        count = len(self.entries)
        self._idf = {
            term: math.log(1 + (count - len(plist[0]) + 0.5) / (len(plist[0]) + 0.5))
            for term, plist in self._postings.items()
        }
        # An unknown term weighs like a term found in a single entry: it is the question's
        # most distinctive word, and no entry accounts for it.
        self._unknown_idf = math.log(1 + (count - 0.5) / 1.5) if count else 1.0
        self._vocabulary = sorted(t for t in self._postings if " " not in t and len(t) >= 3)
        # Neighbours of each word in the entries' own pairs: a short misspelt word is repaired
        # to the word that makes a pair the entries know ("thoi gan" -> "thoi han").
        self._after: dict[str, set[str]] = defaultdict(set)
        self._before: dict[str, set[str]] = defaultdict(set)
        for term in self._postings:
            if " " in term:
                left, right = term.split(" ", 1)
                self._after[left].add(right)
                self._before[right].add(left)
        # Browsing by topic: group slug -> (group name, its entries), citizens' groups first
        # and the officials' last (`menu_rank`); entries in order of appearance.
        groups: dict[str, tuple[str, tuple[Entry, ...]]] = {}
        for entry in self.entries:
            slug = normalize(entry.group).replace(" ", "-")[:48]
            name, members = groups.get(slug, (entry.group, ()))
            groups[slug] = (name, (*members, entry))
        self.groups = dict(sorted(groups.items(), key=lambda item: menu_rank(item[1][0])))
        self._related: dict[str, tuple[Entry, ...]] = {}
        self._by_id = {entry.id: entry for entry in self.entries}
        self._position = {entry.id: position for position, entry in enumerate(self.entries)}
        self._correct = lru_cache(maxsize=8192)(self._nearest_word)
        self._in_context = lru_cache(maxsize=8192)(self._word_in_context)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def knows(self, entry: Entry, phrase: str) -> bool:
        """Whether the entry (phrasings, keywords, topic or answer) uses this folded phrase."""
        position = self._position.get(entry.id)
        return position is not None and f" {phrase} " in self._about[position]

    def related(self, entry: Entry, limit: int = 2) -> tuple[Entry, ...]:
        """Entries close to this one, offered after its answer."""
        if entry.id not in self._related:
            probe = " ".join((entry.topic, *entry.keywords))
            matches = self.search(probe, limit=limit + 3).matches
            self._related[entry.id] = tuple(
                m.entry for m in matches if m.entry.id != entry.id and m.score >= RELATED_MIN
            )
        return self._related[entry.id][:limit]

    def _nearest_word(self, word: str) -> str | None:
        edits = 2 if len(word) >= TWO_EDITS_LEN else 1
        found = process.extractOne(word, self._vocabulary, scorer=OSA.distance, score_cutoff=edits)
        return found[0] if found else None

    def _word_in_context(self, left: str, word: str, right: str) -> str | None:
        """The word one edit away that forms a pair the entries know with a neighbour."""
        candidates = self._after.get(left, set()) | self._before.get(right, set())
        best = [c for c in candidates if OSA.distance(word, c, score_cutoff=1) <= 1]
        # Only a single clear candidate: two would be a guess.
        return best[0] if len(best) == 1 else None

    def _repair(self, words: list[str]) -> tuple[list[str], set[str]]:
        corrected: list[str] = []
        typo_terms: set[str] = set()
        for position, word in enumerate(words):
            if word in self._postings or word.isdigit() or word in STOPWORDS:
                corrected.append(word)
                continue
            left = corrected[-1] if corrected else ""
            right = words[position + 1] if position + 1 < len(words) else ""
            fixed = self._in_context(left, word, right) if len(word) >= 2 else None
            if fixed is None and len(word) >= MIN_TYPO_LEN:
                fixed = self._correct(word)
            if fixed is not None:
                typo_terms.add(fixed)
                corrected.append(fixed)
            else:
                corrected.append(word)
        return corrected, typo_terms

    def _query_terms(self, text: str) -> tuple[dict[str, float], str]:
        words = without_fillers(tokens(text)) or tokens(text)
        corrected, typo_terms = self._repair(words)
        weights = _terms(corrected)
        for term in typo_terms:
            weights[term] *= TYPO_WEIGHT
        return weights, " ".join(corrected)

    def search(self, text: str, limit: int = 3) -> SearchResult:
        weights, folded = self._query_terms(text)
        total = 0.0
        scores = np.zeros(len(self.entries), dtype=np.float64)
        content: set[str] = set()
        weak: list[tuple[str, float]] = []
        for term, weight in list(weights.items()):
            idf = self._idf.get(term)
            if idf is None and " " in term:
                left, right = term.split(" ", 1)
                swapped = f"{right} {left}"
                if swapped in self._idf and swapped not in weights:
                    term, weight = swapped, weight * REVERSED_BIGRAM_FACTOR
                    idf = self._idf[swapped]
            if idf is None:
                idf = self._unknown_idf
                if " " in term:
                    weight *= UNKNOWN_BIGRAM_FACTOR
            total += weight * idf
            if " " not in term and weight >= TYPO_WEIGHT:
                content.add(term)
            if term in STOPWORDS:
                # Posting lists of stopwords span most entries; they cannot pick a candidate,
                # so they are added to the candidates' scores afterwards.
                weak.append((term, weight * idf))
                continue
            posting = self._postings.get(term)
            if posting is not None:
                positions, field_weights = posting
                scores[positions] += (weight * idf) * field_weights
        if total == 0.0 or not scores.any():
            return SearchResult(Confidence.low, ())
        keep = min(max(limit, 5), len(scores))
        top = np.argpartition(scores, -keep)[-keep:]
        scored = [
            (
                self._blend(self._with_weak(scores, int(pos), weak) / total, int(pos), folded),
                int(pos),
            )
            for pos in top
            if scores[pos] > 0.0
        ]
        scored.sort(reverse=True)
        ranked = tuple(Match(self.entries[pos], score) for (score, _tie), pos in scored[:limit])
        top_recall = self._recall(content, scored[0][1])
        return SearchResult(self._confidence(ranked, top_recall), ranked)

    def _with_weak(self, scores: Any, position: int, weak: list[tuple[str, float]]) -> float:
        found = self._weak[position]
        return float(scores[position]) + sum(w * found[t] for t, w in weak if t in found)

    def _recall(self, content: set[str], position: int) -> float:
        """The share of the question's content words that the entry contains.

        Unweighted on purpose: a common word the entry lacks ("giải quyết") still means the
        entry answers a different question.
        """
        if not content:
            return 1.0
        terms = self._terms_of[position]
        return sum(term in terms for term in content) / len(content)

    def _blend(self, coverage: float, position: int, folded: str) -> tuple[float, float]:
        """The score, and a tie-breaker favouring the entry with the closest phrasing."""
        phrasings = self._phrasings[position]
        # extractOne scores every phrasing in one call (a Python loop over them cost 3x).
        similar = process.extractOne(folded, phrasings, scorer=fuzz.token_set_ratio)
        close = process.extractOne(folded, phrasings, scorer=fuzz.ratio)
        similarity = similar[1] if similar else 0.0
        closeness = close[1] if close else 0.0
        return round(0.75 * coverage + 0.25 * similarity / 100.0, 4), closeness

    @staticmethod
    def _confidence(ranked: Sequence[Match], recall: float) -> Confidence:
        top = ranked[0].score
        if top < LOW:
            return Confidence.low
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if top >= HIGH and top - runner_up >= MARGIN and recall >= MIN_RECALL:
            return Confidence.high
        return Confidence.medium

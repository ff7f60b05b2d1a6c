"""Buyer messages that need no reply: closing acknowledgements (好的, 谢谢, 嗯嗯, 知道了, 👌 …).

A wait that such a message opens would be a fine for nothing: the platforms' no-reply rule is about
buyers left without an answer, and nobody answers "好的谢谢". So timing does not let them open a wait.

The rule, after NFKC folding and dropping punctuation, spaces and the tildes and particles buyers end
lines with:
  1. the message is made only of phrases from `ack_phrases` (好的谢谢, 嗯嗯好, 👌👌, ok谢谢亲), or
  2. it starts with them and the rest is short (at most `ack_max_extra_chars` characters:
     好的我加一下, 谢谢我等你消息) and holds no question or request word (吗, 呢, 多少, 能不能, 你, 帮, 要 …: the
     `ack_reply_markers`), since "好的，那什么时候发货" and "嗯 要增票" still want an answer.
A question mark anywhere (? or ？) makes it a question; a message over 30 characters is never one.
Every list and number is a setting of [latency] in defaults.toml; `ack_exclude = false` turns it off.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# particles buyers end an acknowledgement with (好的呢, 谢谢啦, 好哒~)
_TRAILERS = "哈呀啊哦噢呢啦吧嘛哒滴~～"


_ACK_EMOJI = "👌👍🙏🤝😊🌹"


@lru_cache(maxsize=64)
def _phrase_re(phrases: tuple[str, ...]) -> tuple[re.Pattern, frozenset]:
    """The phrases (folded, longest first) as one pattern, and the characters they can start with."""
    alts = sorted({_fold(p) for p in phrases if _fold(p)}, key=len, reverse=True)
    pat = re.compile("(?:" + "|".join(re.escape(a) for a in alts) + ")") if alts else re.compile(r"(?!x)x")
    return pat, frozenset(a[0] for a in alts)


# runs of anything that is neither a word character nor an acknowledging emoji (underscores too)
_SPACES = re.compile(f"(?:[^\\w{_ACK_EMOJI}]|_)+")
_EMOJI = re.compile(f"([{_ACK_EMOJI}])")
# a closing acknowledgement is short: anything longer says more than "ok, thanks"
MAX_CHARS = 30


def _fold(text: str) -> str:
    """NFKC, lower case, every run of punctuation and spaces as one space; the acknowledging emoji
    kept (they are \\W too) and spaced apart like punctuation."""
    t = unicodedata.normalize("NFKC", str(text)).lower().replace("\ufe0f", "")
    t = _EMOJI.sub(r" \1 ", t)
    return _SPACES.sub(" ", t).strip()


def _strip_phrases(t: str, pat: re.Pattern) -> tuple[bool, str]:
    """Take acknowledgement phrases (and the particles after them) off the front of folded text.

    A one-character phrase (好, 嗯, 行) counts only as a word of its own: followed by a space, the
    end, a particle or another phrase, so 好久了都 and 行不行 are not read as 好/行 + something."""
    rest, matched = t, False
    while rest:
        m = pat.match(rest)
        if not m:
            break
        after = rest[m.end():].lstrip(_TRAILERS)
        if len(m.group(0)) == 1 and not (after == "" or after[0] == " " or rest[m.end()] in _TRAILERS
                                         or pat.match(after)):
            break
        matched = True
        rest = after.lstrip(" ")
    return matched, rest


def is_acknowledgement(text, phrases: tuple[str, ...], reply_markers: tuple[str, ...],
                       max_extra: int) -> bool:
    """True when a buyer message is a closing acknowledgement that needs no reply."""
    if text is None or not isinstance(text, str):
        return False
    if len(text) > MAX_CHARS or "?" in text or "？" in text or "﹖" in text:
        return False
    t = _fold(text)
    if not t:
        return False
    pat, starts = _phrase_re(tuple(phrases))
    if t[0] not in starts:
        return False        # most messages: no phrase can start here
    matched, rest = _strip_phrases(t, pat)
    if not matched:
        return False
    rest = rest.replace(" ", "")
    # question and request words count only after the acknowledgement: 好的呢 is one, 好的那蓝色呢 is not
    # a digit after it is information to act on (an order or phone number, a size)
    return (len(rest) <= max_extra and not any(q in rest for q in reply_markers)
            and not any(ch.isdigit() for ch in rest))


def acknowledgement_mask(texts, settings: dict):
    """A boolean list: which of `texts` are acknowledgements under a shop's [latency] settings."""
    if not settings.get("ack_exclude", True):
        return [False] * len(texts)
    phrases = tuple(settings.get("ack_phrases", ()))
    _phrase_re(phrases)
    markers = tuple(settings.get("ack_reply_markers", ()))
    max_extra = int(settings.get("ack_max_extra_chars", 0))
    cache: dict = {}
    out = []
    for t in texts:
        try:
            v = cache[t]
        except KeyError:
            v = cache[t] = is_acknowledgement(t, phrases, markers, max_extra)
        except TypeError:
            v = False
        out.append(v)
    return out

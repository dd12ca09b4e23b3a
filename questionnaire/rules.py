"""The results rules table, as data, and the one pure function that applies it.

Each ``Rule`` says: when this named condition holds for the answers, show this
item in this lane, and give this reason (a sentence that quotes the person's own
answer). An item may have several rules; it is shown when any of them fires, it
carries every reason that fired, and it is ranked in its lane by the best
(lowest) priority among them, ties in table order.

Two answers override the table, for the items about one of NIH's ten options:
"using now" shows the item as an acknowledgement ("keep going"), after the
suggestions, whatever the rules say; "not for me" hides it and lists the option
at the end as "You said this is not for you".

The texts live in ``content``. Change a rule or a text and change
``CONTENT_VERSION``: it is stored with each shared check-in, next to the ids of
the items it was shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from . import content as c
from . import instruments as ins
from .scoring import Scores

CONTENT_VERSION = "2026-11-29.1"

Predicate = Callable[[Mapping, Scores], bool]

SUGGESTED = "suggested"
USING_NOW = "using_now"


# --- Named conditions over (answers, scores). "Prefer not to say" never matches. ---


def _chosen(answers: Mapping, code: str) -> list:
    value = answers.get(code)
    return list(value) if isinstance(value, list | tuple) else []


def _lower_first(label: str) -> str:
    """Return a choice label ready to quote mid-sentence ("Most days" -> "most days", "CBT" stays)."""
    return label[:1].lower() + label[1:] if label[:1].isalpha() and not label[1:2].isupper() else label


def any_pain(a, s):
    return a.get("pain_frequency") in ("some_days", "most_days", "every_day")


def frequent_pain(a, s):
    return s.chronic_pain is True


def lasting_pain(a, s):
    return a.get("pain_duration") == "3_months_plus"


def limits_life_often(a, s):
    return s.high_impact_chronic_pain is True


def pain_score_4_plus(a, s):
    return s.peg is not None and s.peg >= 4


def lonely_score_6_plus(a, s):
    return s.ucla3 is not None and s.ucla3 >= 6


def lonely_often(a, s):
    return a.get("lonely") == "often_always"


def lonely_at_times(a, s):
    return a.get("lonely") in ("often_always", "some_of_the_time")


def felt_rejected(a, s):
    return a.get("rejected") in ("sometimes", "often")


def avoids_people(a, s):
    return a.get("pain_avoidance") in ("a_little", "a_lot")


def support_low(a, s):
    return a.get("support") in ("rarely", "never")


def support_not_always(a, s):
    return a.get("support") in ("sometimes", "rarely", "never")


def takes_opioid(a, s):
    medicines = _chosen(a, "medicines")
    return "rx_opioid" in medicines and ins.PREFER_NOT not in medicines  # as scoring reads it


def long_term_opioid(a, s):
    return s.long_term_opioid is True


def sleeps_poorly(a, s):
    return a.get("sleep") == "poorly"


def sleeps_fairly_well(a, s):
    return a.get("sleep") == "fairly_well"


def very_stressed(a, s):
    return a.get("stress") == "very"


def somewhat_stressed(a, s):
    return a.get("stress") == "somewhat"


def said_yes_to_safety(a, s):
    return a.get("safety") == "yes"


def always(a, s):
    return True


def lasting_pain_and_lonely_score(a, s):
    return lasting_pain(a, s) and lonely_score_6_plus(a, s)


def lasting_pain_and_avoids_people(a, s):
    return lasting_pain(a, s) and avoids_people(a, s)


def frequent_pain_and_lonely(a, s):
    return frequent_pain(a, s) and lonely_at_times(a, s)


def pain_and_lonely_score(a, s):
    return any_pain(a, s) and lonely_score_6_plus(a, s)


def pain_and_very_stressed(a, s):
    return any_pain(a, s) and very_stressed(a, s)


def head_pain_often(a, s):
    return "head" in _chosen(a, "pain_areas") and frequent_pain(a, s)


def long_term_opioid_and_lonely_score(a, s):
    return long_term_opioid(a, s) and lonely_score_6_plus(a, s)


def long_term_opioid_and_lonely_often(a, s):
    return long_term_opioid(a, s) and lonely_often(a, s)


def lonely_score_and_low_support(a, s):
    return lonely_score_6_plus(a, s) and support_low(a, s)


def lonely_often_and_low_support(a, s):
    return lonely_often(a, s) and support_low(a, s)


def pain_in(area: str) -> Predicate:
    """Return a named condition: the person chose ``area`` among the places it hurts."""

    def condition(a, s):
        return area in _chosen(a, "pain_areas")

    condition.__name__ = condition.__qualname__ = f"pain_in_{area}"
    return condition


def ongoing_pain_in(area: str) -> Predicate:
    """Return a named condition: ``area`` hurts, and the pain is frequent or has lasted.

    NIH's options to ask a clinician about are for chronic pain, so where it hurts
    only counts once the pain is ongoing.
    """

    def condition(a, s):
        return area in _chosen(a, "pain_areas") and (frequent_pain(a, s) or lasting_pain(a, s))

    condition.__name__ = condition.__qualname__ = f"ongoing_pain_in_{area}"
    return condition


def wants_to_learn(option: str) -> Predicate:
    """Return a named condition: the person would like to learn more about ``option``."""

    def condition(a, s):
        return a.get(ins.coping_field(option)) == "learn_more"

    condition.__name__ = condition.__qualname__ = f"wants_to_learn_{option}"
    return condition


# --- Reason sentences. {placeholders} are filled with the person's own answers. ---

SAID_PAIN_OFTEN = 'You said you had pain "{pain_frequency}" in the past 3 months.'
SAID_PAIN_LASTED = 'You said your pain has lasted "{pain_duration}".'
SAID_PAIN_LIMITS = 'You said pain limited your life or work "{pain_impact}" in the past 3 months.'
# Whichever of the two ongoing-pain answers holds (see ``_words``).
SAID_ONGOING = "{ongoing}"
SAID_PEG = "Your pain score for the past week is {peg} out of 10."
SAID_UCLA = "Your three answers about feeling alone add up to {ucla3}, on a scale from 3 to 9."
SAID_LONELY = 'You said you feel lonely "{lonely}".'
SAID_REJECTED = 'You said you felt rejected or pushed away by people who matter to you "{rejected}" in the past month.'
SAID_AVOIDS = 'You said pain has led you to avoid people or social activities "{pain_avoidance}".'
SAID_SUPPORT = 'You said you get the support you need "{support}".'
SAID_OPIOID = 'Among your pain medicines, you chose "a prescribed opioid".'
SAID_OPIOID_LONG = 'You said you take a prescribed opioid, for "{opioid_duration}" so far.'
SAID_SLEEP = 'You said you sleep "{sleep}" most nights.'
SAID_VERY_STRESSED = 'You said you felt "very stressed" lately.'
SAID_SOMEWHAT_STRESSED = 'You chose "somewhat" when we asked how stressed you felt lately.'
SAID_SAFETY = 'You said "yes" when we asked about your safety right now.'
SAID_SITE = "You came to this check-in through the link from {site_name}."


def said_area(area: str) -> str:
    return f'You chose "{dict(ins.PAIN_AREAS)[area]}" as a place that hurts.'


def said_learn(option: str) -> str:
    return f'You said you would like to learn more about "{_lower_first(c.OPTION_LABELS[option])}".'


@dataclass(frozen=True)
class Rule:
    id: str  # stable: "<item>.<condition>"
    item: str  # the content item it shows (content.ITEM_BY_ID)
    lane: str
    condition: Predicate
    reason: tuple[str, ...]  # one sentence template each
    priority: int  # lower comes first in the lane
    needs_site: bool = False  # fires only for a check-in that came by a community link


def _rule(item: str, condition: Predicate, reason, priority: int, *, needs_site: bool = False) -> Rule:
    reasons = (reason,) if isinstance(reason, str) else tuple(reason)
    return Rule(
        f"{item}.{condition.__name__}",
        item,
        c.ITEM_BY_ID[item].lane,
        condition,
        reasons,
        priority,
        needs_site,
    )


def _learn(item: str, priority: int) -> Rule:
    option = c.ITEM_BY_ID[item].option
    return _rule(item, wants_to_learn(option), said_learn(option), priority)


RULES: tuple[Rule, ...] = (
    # Understand: the sections most tied to the answers come first.
    _rule("understand_long_term_opioid", long_term_opioid, SAID_OPIOID_LONG, 10),
    _rule("understand_cycle", lasting_pain_and_lonely_score, (SAID_PAIN_LASTED, SAID_UCLA), 15),
    _rule("understand_cycle", lasting_pain_and_avoids_people, (SAID_PAIN_LASTED, SAID_AVOIDS), 16),
    _rule("understand_cycle", frequent_pain_and_lonely, (SAID_PAIN_OFTEN, SAID_LONELY), 17),
    _rule("understand_opioid_system", takes_opioid, SAID_OPIOID, 20),
    _rule("understand_opioid_system", felt_rejected, SAID_REJECTED, 42),
    _rule("understand_pain_kinds", felt_rejected, SAID_REJECTED, 30),
    _rule("understand_pain_kinds", avoids_people, SAID_AVOIDS, 31),
    _rule("understand_pain_kinds", lonely_score_6_plus, SAID_UCLA, 32),
    _rule("understand_brain_body", any_pain, SAID_PAIN_OFTEN, 50),
    # Try now: poor sleep puts sleep first; high stress puts mindfulness first.
    _rule("try_sleep_habits", sleeps_poorly, SAID_SLEEP, 10),
    _rule("try_mindfulness", very_stressed, SAID_VERY_STRESSED, 11),
    _learn("try_sleep_habits", 20),
    _learn("try_mindfulness", 21),
    _learn("try_gentle_exercise", 22),
    _learn("try_anti_inflammatory_eating", 23),
    _rule("try_gentle_exercise", limits_life_often, SAID_PAIN_LIMITS, 30),
    _rule("try_sleep_habits", sleeps_fairly_well, SAID_SLEEP, 40),
    _rule("try_mindfulness", somewhat_stressed, SAID_SOMEWHAT_STRESSED, 41),
    _rule("try_gentle_exercise", pain_in("back_neck"), said_area("back_neck"), 45),
    _rule("try_gentle_exercise", pain_in("joints_muscles"), said_area("joints_muscles"), 45),
    _rule("try_anti_inflammatory_eating", pain_in("widespread"), said_area("widespread"), 46),
    _rule("try_anti_inflammatory_eating", pain_in("joints_muscles"), said_area("joints_muscles"), 47),
    _rule("try_sleep_habits", any_pain, SAID_PAIN_OFTEN, 80),
    _rule("try_mindfulness", any_pain, SAID_PAIN_OFTEN, 81),
    _rule("try_gentle_exercise", any_pain, SAID_PAIN_OFTEN, 82),
    _rule("try_anti_inflammatory_eating", any_pain, SAID_PAIN_OFTEN, 83),
    # Ask your clinician about: options tied to where it hurts come first.
    _rule("ask_botox", head_pain_often, (said_area("head"), SAID_PAIN_OFTEN), 10),
    _learn("ask_botox", 20),
    _learn("ask_antidepressants", 21),
    _learn("ask_cbt", 21),
    _learn("ask_acupuncture", 21),
    _learn("ask_pain_relievers", 21),
    _learn("ask_chiropractic", 21),
    _learn("ask_physical_therapy", 22),
    _rule("ask_antidepressants", ongoing_pain_in("nerve"), (said_area("nerve"), SAID_ONGOING), 25),
    _rule("ask_antidepressants", ongoing_pain_in("widespread"), (said_area("widespread"), SAID_ONGOING), 26),
    _rule("ask_pain_relievers", takes_opioid, SAID_OPIOID, 28),
    _rule("ask_chiropractic", ongoing_pain_in("back_neck"), (said_area("back_neck"), SAID_ONGOING), 30),
    _rule("ask_physical_therapy", ongoing_pain_in("back_neck"), (said_area("back_neck"), SAID_ONGOING), 31),
    _rule("ask_chiropractic", ongoing_pain_in("head"), (said_area("head"), SAID_ONGOING), 32),
    _rule("ask_cbt", very_stressed, SAID_VERY_STRESSED, 33),
    _rule("ask_chiropractic", ongoing_pain_in("joints_muscles"), (said_area("joints_muscles"), SAID_ONGOING), 34),
    _rule("ask_physical_therapy", limits_life_often, SAID_PAIN_LIMITS, 35),
    _rule("ask_antidepressants", ongoing_pain_in("head"), (said_area("head"), SAID_ONGOING), 36),
    _rule("ask_antidepressants", ongoing_pain_in("joints_muscles"), (said_area("joints_muscles"), SAID_ONGOING), 37),
    _rule("ask_cbt", lonely_score_6_plus, SAID_UCLA, 38),
    _rule("ask_cbt", avoids_people, SAID_AVOIDS, 39),
    _rule("ask_cbt", lasting_pain, SAID_PAIN_LASTED, 50),
    _rule("ask_acupuncture", lasting_pain, SAID_PAIN_LASTED, 55),
    _rule("ask_acupuncture", frequent_pain, SAID_PAIN_OFTEN, 56),
    _rule("ask_pain_relievers", lasting_pain, SAID_PAIN_LASTED, 57),
    # Ask your clinician about: questions to bring.
    _rule("q_opioid_mood", long_term_opioid_and_lonely_score, (SAID_OPIOID_LONG, SAID_UCLA), 10),
    _rule("q_opioid_mood", long_term_opioid_and_lonely_often, (SAID_OPIOID_LONG, SAID_LONELY), 11),
    _rule("q_opioid_plan", long_term_opioid, SAID_OPIOID_LONG, 15),
    _rule("q_pain_score", pain_score_4_plus, SAID_PEG, 20),
    _rule("q_daily_life", limits_life_often, SAID_PAIN_LIMITS, 25),
    _rule("q_sleep", sleeps_poorly, SAID_SLEEP, 30),
    _rule("q_stress_alone", pain_and_very_stressed, (SAID_PAIN_OFTEN, SAID_VERY_STRESSED), 35),
    _rule("q_stress_alone", pain_and_lonely_score, (SAID_PAIN_OFTEN, SAID_UCLA), 36),
    # Connect: help at once first, then the person's own community.
    _rule("connect_988", said_yes_to_safety, SAID_SAFETY, 0),
    _rule("connect_trusted_person", said_yes_to_safety, SAID_SAFETY, 5),
    _rule("connect_community", always, SAID_SITE, 10, needs_site=True),
    _rule("connect_988", lonely_score_and_low_support, (SAID_UCLA, SAID_SUPPORT), 20),
    _rule("connect_988", lonely_often_and_low_support, (SAID_LONELY, SAID_SUPPORT), 21),
    _rule("connect_peer_support", lonely_score_6_plus, SAID_UCLA, 30),
    _rule("connect_peer_support", lonely_often, SAID_LONELY, 31),
    _rule("connect_peer_support", avoids_people, SAID_AVOIDS, 32),
    _rule("connect_trusted_person", felt_rejected, SAID_REJECTED, 35),
    _rule("connect_trusted_person", support_not_always, SAID_SUPPORT, 36),
    _rule("connect_trusted_person", lonely_at_times, SAID_LONELY, 37),
)

RULE_BY_ID = {rule.id: rule for rule in RULES}

# Every id an item can have; a shared check-in stores some of these (40 chars at most).
ITEM_IDS: tuple[str, ...] = tuple(item.id for item in c.ITEMS)

# The item that acknowledges an option in use; any other item about it stays hidden.
_ACKNOWLEDGED_BY: dict[str, str] = {}
for _item in c.ITEMS:
    if _item.option:
        _ACKNOWLEDGED_BY.setdefault(_item.option, _item.id)


# --- Results ---


@dataclass(frozen=True)
class Item:
    id: str
    lane: str
    kind: str  # content.SECTION, OPTION, QUESTION or PEOPLE
    title: str
    body: str
    reasons: tuple[str, ...]  # plain sentences, each quoting an answer
    short: str = ""  # one or two sentences: what the card and the printout say
    lead: int = 1  # how many of ``reasons`` come from the best rule: the reason the card shows
    status: str = SUGGESTED  # or USING_NOW: acknowledged, not pushed
    source: str = ""  # credit line
    links: tuple[tuple[str, str], ...] = ()  # (words, tel:/sms: href)
    rules: tuple[str, ...] = ()  # ids of the rules that fired for it

    @property
    def main_reason(self) -> str:
        """Return the reason the card shows: every sentence of the best rule that fired."""
        return " ".join(self.reasons[: self.lead])

    @property
    def other_reasons(self) -> str:
        """Return the rest of the reasons, for the folded part of the card."""
        return " ".join(self.reasons[self.lead:])


# How many cards each lane shows open, and how many questions to bring; the rest
# fold under "Show N more", so the whole page stays a handful of phone screens.
# The article's ideas (last) open one: they explain, the others are things to do.
OPEN_CARDS = {c.TRY_NOW: 2, c.ASK_CLINICIAN: 2, c.CONNECT: 2, c.UNDERSTAND: 1}
OPEN_QUESTIONS = 1


@dataclass(frozen=True)
class Lane:
    key: str
    heading: str
    intro: str
    empty: str
    items: tuple[Item, ...]  # suggestions by rank, then options the person uses now
    questions: tuple[Item, ...] = ()  # ask_clinician only: questions to bring

    @property
    def first(self) -> tuple[Item, ...]:
        return self.items[: OPEN_CARDS[self.key]]

    @property
    def more(self) -> tuple[Item, ...]:
        return self.items[OPEN_CARDS[self.key]:]

    @property
    def first_questions(self) -> tuple[Item, ...]:
        return self.questions[:OPEN_QUESTIONS]

    @property
    def more_questions(self) -> tuple[Item, ...]:
        return self.questions[OPEN_QUESTIONS:]


@dataclass(frozen=True)
class Results:
    lanes: tuple[Lane, ...]
    not_for_you: tuple[str, ...]  # labels of the options the person said are not for them
    content_version: str = CONTENT_VERSION
    shown: tuple[str, ...] = field(default=())  # every shown item id, in page order

    def lane(self, key: str) -> Lane:
        return next(lane for lane in self.lanes if lane.key == key)

    @property
    def credit(self) -> str:
        """Return the source credit, said once per page, if any shown item needs it."""
        sources = {item.source for lane in self.lanes for item in lane.items if item.source}
        return " ".join(sorted(sources))


def _site_value(site, name: str) -> str:
    if site is None:
        return ""
    value = site.get(name) if isinstance(site, Mapping) else getattr(site, name, "")
    return str(value or "").strip()


def _words(answers: Mapping, scores: Scores, site_name: str) -> dict:
    """Return the person's answers in words, to fill the reason templates."""
    words: dict = {"site_name": site_name}
    for question in ins.QUESTIONS:
        value = answers.get(question.code)
        if question.kind == ins.SINGLE and value in question.values:
            words[question.code] = _lower_first(question.label(value))
    if scores.peg is not None:
        words["peg"] = f"{scores.peg:g}"
    if scores.ucla3 is not None:
        words["ucla3"] = scores.ucla3
    if lasting_pain(answers, scores):
        words["ongoing"] = SAID_PAIN_LASTED.format_map(words)
    elif frequent_pain(answers, scores):
        words["ongoing"] = SAID_PAIN_OFTEN.format_map(words)
    return words


def _acknowledgement(text: c.ItemText) -> Item:
    """Return an option the person uses now, as a "keep going" note rather than a push."""
    label = _lower_first(c.OPTION_LABELS[text.option])
    return Item(
        id=text.id,
        lane=text.lane,
        kind=text.kind,
        title=text.title,
        body=c.KEEP_GOING[text.lane],
        short=c.KEEP_GOING[text.lane],
        reasons=(f'You said you use "{label}" now: keep going.',),
        status=USING_NOW,
    )


def _suggestion(text: c.ItemText, matched: list[Rule], words: dict, site, state) -> Item:
    """Return an item the rules chose, with every reason that fired, best first."""
    reasons = [sentence.format_map(words) for rule in matched for sentence in rule.reason]
    lead = len(dict.fromkeys(reasons[: len(matched[0].reason)]))
    if state == "tried_before":
        reasons.append(f'You said you tried "{_lower_first(c.OPTION_LABELS[text.option])}" before.')
    short = text.short.format(site_name=words["site_name"])
    contact = _site_value(site, "contact")
    if text.id == "connect_community" and contact:
        short = f"{short} {c.COMMUNITY_CONTACT.format(contact=contact)}"
    return Item(
        id=text.id,
        lane=text.lane,
        kind=text.kind,
        title=text.title.format(site_name=words["site_name"]),
        body=text.body.format(site_name=words["site_name"]),
        short=short,
        reasons=tuple(dict.fromkeys(reasons)),  # a sentence two rules share is said once
        lead=lead,
        source=text.source,
        links=text.links,
        rules=tuple(rule.id for rule in matched),
    )


def evaluate(answers: Mapping, scores: Scores, *, site=None) -> Results:
    """Return the results for one set of answers: items per lane, each with its reasons.

    ``site`` is None, or an object or mapping with ``name`` and ``contact`` (the
    community whose link the person came by). Pure: reads its arguments only.
    """
    words = _words(answers, scores, _site_value(site, "name"))
    fired: dict[str, list[Rule]] = {}
    for rule in RULES:
        if rule.needs_site and not words["site_name"]:
            continue
        if rule.condition(answers, scores):
            fired.setdefault(rule.item, []).append(rule)

    states = {option: answers.get(ins.coping_field(option)) for option, _ in ins.COPING_OPTIONS}
    suggested: list[tuple[int, int, Item]] = []  # (best priority, table order, item)
    acknowledged: list[Item] = []  # in table order
    for order, text in enumerate(c.ITEMS):
        state = states.get(text.option) if text.option else None
        if state == "not_for_me":
            continue
        if state == "using_now":
            if _ACKNOWLEDGED_BY[text.option] == text.id:
                acknowledged.append(_acknowledgement(text))
            continue
        if text.id in fired:
            matched = sorted(fired[text.id], key=lambda rule: rule.priority)  # stable: table order breaks ties
            suggested.append((matched[0].priority, order, _suggestion(text, matched, words, site, state)))
    ranked = [item for *_, item in sorted(suggested, key=lambda entry: entry[:2])] + acknowledged

    lanes = tuple(
        Lane(
            key=lane.key,
            heading=lane.heading,
            intro=lane.intro,
            empty=lane.empty,
            items=tuple(item for item in ranked if item.lane == lane.key and item.kind != c.QUESTION),
            questions=tuple(item for item in ranked if item.lane == lane.key and item.kind == c.QUESTION),
        )
        for lane in c.LANES
    )
    return Results(
        lanes=lanes,
        not_for_you=tuple(label for option, label in ins.COPING_OPTIONS if states[option] == "not_for_me"),
        shown=tuple(item.id for lane in lanes for item in lane.items + lane.questions),
    )


def help_first(answers: Mapping) -> bool:
    """Return whether the results open with the crisis help panel (a "yes" to the safety question)."""
    return said_yes_to_safety(answers, None)


# Where the short list of next steps at the top of the results looks, in turn:
# (lane, rank in that lane). Something to try comes first, then people, then a
# clinician, then more of each; the article's ideas come last.
NEXT_STEP_ORDER: tuple[tuple[str, int], ...] = (
    (c.TRY_NOW, 0),
    (c.CONNECT, 0),
    (c.ASK_CLINICIAN, 0),
    (c.TRY_NOW, 1),
    (c.CONNECT, 1),
    (c.ASK_CLINICIAN, 1),
    (c.UNDERSTAND, 0),
)
MAX_NEXT_STEPS = 4


@dataclass(frozen=True)
class NextStep:
    item_id: str  # the card it links to: #item-<id>
    label: str  # what kind of step: "Try", "Ask about"...
    title: str


def next_steps(results: Results, *, help_shown: bool = False) -> tuple[NextStep, ...]:
    """Return the few most relevant suggestions, one line each, for the top of the results.

    Only suggestions count (an option the person uses now is not a next step), and
    only cards shown open, so every link lands on a card in view. When the help
    panel is already shown, the 988 card is not listed again.
    """
    candidates = {
        lane.key: [
            item for item in lane.first
            if item.status == SUGGESTED and not (help_shown and item.id == "connect_988")
        ]
        for lane in results.lanes
    }
    labels = {lane.key: c.NEXT_STEP_LABELS[lane.key] for lane in results.lanes}
    steps = []
    for lane_key, rank in NEXT_STEP_ORDER:
        if rank < len(candidates[lane_key]):
            item = candidates[lane_key][rank]
            steps.append(NextStep(item.id, labels[lane_key], item.title))
        if len(steps) == MAX_NEXT_STEPS:
            break
    return tuple(steps)


def shown_item_ids(results: Results) -> list[str]:
    """Return the ids of the items shown, in page order (stored with a shared check-in)."""
    return list(results.shown)


def item_title(item_id: str) -> str:
    """Return an item's title for staff tables (ids of older content versions read as is)."""
    text = c.ITEM_BY_ID.get(item_id)
    if text is None:
        return item_id
    return text.title.format(site_name="the community")


def about_context() -> dict:
    """Return the context of the "About the questions" page."""
    return {
        "intro": c.ABOUT_INTRO,
        "sources": c.about_sources(),
        "article": c.ABOUT_ARTICLE,
        "content_version": CONTENT_VERSION,
    }

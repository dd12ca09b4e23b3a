"""The results rules table, as data, and the one pure function that applies it.

Each ``Rule`` says: when this named condition holds for the answers, show this
item in this lane, and give this reason (a sentence that quotes the person's own
answer). An item may have several rules; it is shown when any of them fires, it
carries every reason that fired, and its *fit* is the sum of the weights of the
rules that fired: how strongly the answers point to it (an answer the person gave
in so many words, "I would like to learn more", "I sleep poorly", weighs more than
one that only allows it). Items are ranked by fit, then by the best (lowest)
priority among their rules, then in table order; the next steps at the top of
the results are the best-fitting cards of the page (``next_steps``).

No card contradicts an answer: each rule asks for the answer that makes its
card fit, never "any pain" alone for a card about sleep or stress. When nothing
fits at all (every question skipped, or answers that point nowhere), a few
starting points and the 988 card are shown (``STARTING_POINTS``).

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
from dataclasses import dataclass, field, replace

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _

from . import content as c
from . import instruments as ins
from .scoring import Scores
from .summary import score_text

CONTENT_VERSION = "2026-12-04.1"

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


def _takes(a, medicine: str) -> bool:
    medicines = _chosen(a, "medicines")
    return medicine in medicines and ins.PREFER_NOT not in medicines  # as scoring reads it


def takes_opioid(a, s):
    return _takes(a, "rx_opioid")


def takes_moud(a, s):
    return _takes(a, "moud")


def takes_opioid_medicine(a, s):
    """A prescribed opioid or a medication for opioid use disorder (as scoring.opioid_medicine)."""
    return takes_opioid(a, s) or takes_moud(a, s)


def takes_otc_reliever(a, s):
    return _takes(a, "otc")


def takes_rx_nonopioid(a, s):
    return _takes(a, "rx_nonopioid")


def uses_pain_relievers_now(a, s):
    return a.get(ins.coping_field("pain_relievers")) == "using_now"


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


def safety_prefer_not(a, s):
    return a.get("safety") == ins.PREFER_NOT


def severe_pain_score(a, s):
    return s.peg is not None and s.peg >= 7


def _ongoing(a, s):
    return frequent_pain(a, s) or lasting_pain(a, s)


def pain_with_every_option_in_use(a, s):
    """Ongoing pain while every one of the ten options is already in use."""
    return _ongoing(a, s) and all(
        a.get(ins.coping_field(option)) == "using_now" for option, _ in ins.COPING_OPTIONS
    )


def always(a, s):
    return True


def _answered(a) -> int:
    return sum(1 for value in a.values() if value not in (None, "", [], ()))


def few_answers(a, s):
    """Fewer than five questions answered: the check-in says every question is optional."""
    return _answered(a) < 5


def answers_point_nowhere(a, s):
    return not few_answers(a, s)


def few_answers_stress_unsaid(a, s):
    """Few answers, none of them "a little stressed" (mindfulness would not fit that)."""
    return few_answers(a, s) and a.get("stress") != "a_little"


def _named(name: str, condition: Predicate) -> Predicate:
    """Return ``condition`` under ``name``: the tail of its rules' ids and the key of its test examples."""
    condition.__name__ = condition.__qualname__ = name
    return condition


def all_of(name: str, *conditions: Predicate) -> Predicate:
    """Return a named condition that holds when every one of ``conditions`` holds."""
    return _named(name, lambda a, s: all(condition(a, s) for condition in conditions))


def pain_in(area: str) -> Predicate:
    """Return a named condition: the person chose ``area`` among the places it hurts."""
    return _named(f"pain_in_{area}", lambda a, s: area in _chosen(a, "pain_areas"))


def ongoing_pain_in(area: str) -> Predicate:
    """Return a named condition: ``area`` hurts, and the pain is frequent or has lasted.

    NIH's options to ask a clinician about are for chronic pain, so where it hurts
    only counts once the pain is ongoing.
    """
    return all_of(f"ongoing_pain_in_{area}", pain_in(area), _ongoing)


def wants_to_learn(option: str) -> Predicate:
    """Return a named condition: the person would like to learn more about ``option``."""
    return _named(f"wants_to_learn_{option}", lambda a, s: a.get(ins.coping_field(option)) == "learn_more")


# Two answers at once: each card about them needs both.
lasting_pain_and_lonely_score = all_of("lasting_pain_and_lonely_score", lasting_pain, lonely_score_6_plus)
lasting_pain_and_avoids_people = all_of("lasting_pain_and_avoids_people", lasting_pain, avoids_people)
frequent_pain_and_lonely = all_of("frequent_pain_and_lonely", frequent_pain, lonely_at_times)
pain_and_lonely_score = all_of("pain_and_lonely_score", any_pain, lonely_score_6_plus)
pain_and_very_stressed = all_of("pain_and_very_stressed", any_pain, very_stressed)
head_pain_often = all_of("head_pain_often", pain_in("head"), frequent_pain)
long_term_opioid_and_lonely_score = all_of("long_term_opioid_and_lonely_score", long_term_opioid, lonely_score_6_plus)
long_term_opioid_and_lonely_often = all_of("long_term_opioid_and_lonely_often", long_term_opioid, lonely_often)
lonely_score_and_low_support = all_of("lonely_score_and_low_support", lonely_score_6_plus, support_low)
lonely_often_and_low_support = all_of("lonely_often_and_low_support", lonely_often, support_low)


# --- Reason sentences. {placeholders} are filled with the person's own answers. ---

SAID_PAIN_OFTEN = _('You said you had pain "{pain_frequency}" in the past 3 months.')
SAID_PAIN_LASTED = _('You said your pain has lasted "{pain_duration}".')
SAID_PAIN_LIMITS = _('You said pain limited your life or work "{pain_impact}" in the past 3 months.')
# Whichever of the two ongoing-pain answers holds (see ``_words``).
SAID_ONGOING = "{ongoing}"
SAID_PEG = _("Your pain score for the past week is {peg} out of 10.")
SAID_UCLA = _("Your three answers about feeling alone add up to {ucla3} (3 is the lowest, 9 the highest).")
SAID_LONELY = _('You said you feel lonely "{lonely}".')
SAID_REJECTED = _('You said you felt rejected or pushed away by people who matter to you "{rejected}" '
                  "in the past month.")
SAID_AVOIDS = _('You said pain has led you to avoid people or social activities "{pain_avoidance}".')
SAID_SUPPORT = _('You said you get the support you need "{support}".')
SAID_OPIOID = _('Among your pain medicines, you chose "a prescribed opioid".')
SAID_MOUD = _("Among your medicines, you chose buprenorphine, methadone or naltrexone.")
# Whichever of the two holds, or both (see ``_words``).
SAID_OPIOID_MEDICINE = "{opioid_medicine}"
SAID_OTC = _("Among your pain medicines, you chose a pain reliever you buy without a prescription.")
SAID_RX_NONOPIOID = _("Among your pain medicines, you chose a prescribed one that is not an opioid.")
SAID_RELIEVERS_NOW = _('You said you use "pain relievers that are not opioids" now.')
SAID_PEG_SEVERE = _("Your pain score for the past week is {peg} out of 10.")
SAID_ALL_IN_USE = _("You said you use all ten ways to ease pain now.")
SAID_OPIOID_LONG = _('You said you take a prescribed opioid, for "{opioid_duration}" so far.')
SAID_SLEEP = _('You said you sleep "{sleep}" most nights.')
SAID_VERY_STRESSED = _('You said you felt "very stressed" lately.')
SAID_SOMEWHAT_STRESSED = _('You chose "somewhat" when we asked how stressed you felt lately.')
SAID_SAFETY = _('You said "yes" when we asked about your safety right now.')
SAID_SAFETY_PREFER_NOT = (
    _('You chose "Prefer not to say" when we asked about your safety. That is fine. '
    "This card is here in case you ever want it.")
)
SAID_FEW_ANSWERS = _("You left most questions blank, and that is fine. Here are a few places to start.")
SAID_NOTHING_STOOD_OUT = _("Nothing in your answers stood out. Here are a few places to start.")
SAID_SITE = _("You came to this check-in through the link from {site_name}.")


def said_area(area: str) -> str:
    return format_lazy(_('You chose "{area}" as a place that hurts.'), area=dict(ins.PAIN_AREAS)[area])


class _LowerFirst:
    """A label to quote mid-sentence, lowered in the language of the page (see ``_lower_first``)."""

    def __init__(self, label):
        self.label = label

    def __str__(self):
        return _lower_first(str(self.label))


def said_learn(option: str) -> str:
    return format_lazy(_('You said you would like to learn more about "{option}".'),
                       option=_LowerFirst(c.OPTION_LABELS[option]))


@dataclass(frozen=True)
class Rule:
    id: str  # stable: "<item>.<condition>"
    item: str  # the content item it shows (content.ITEM_BY_ID)
    lane: str
    condition: Predicate
    reason: tuple[str, ...]  # one sentence template each
    priority: int  # breaks ties of fit: lower comes first
    weight: int = 1  # how strongly the answer points to the item: 1 allows it, 3 asks for it
    needs_site: bool = False  # fires only for a check-in that came by a community link


def _rule(item: str, condition: Predicate, reason, priority: int, weight: int = 1, *,
          needs_site: bool = False) -> Rule:
    reasons = (reason,) if isinstance(reason, str | Promise) else tuple(reason)
    return Rule(
        f"{item}.{condition.__name__}",
        item,
        c.ITEM_BY_ID[item].lane,
        condition,
        reasons,
        priority,
        weight,
        needs_site,
    )


def _learn(item: str, priority: int) -> Rule:
    """The person asked to learn more about the item's option: the strongest reason there is."""
    option = c.ITEM_BY_ID[item].option
    return _rule(item, wants_to_learn(option), said_learn(option), priority, 3)


RULES: tuple[Rule, ...] = (
    # Medicine safety (FDA, SAMHSA, CDC): naloxone and overdose safety for anyone who
    # takes a prescribed opioid or medication for opioid use disorder; the dose
    # caution for anyone who takes a pain reliever, "using now" included.
    _rule("safe_naloxone", takes_opioid_medicine, SAID_OPIOID_MEDICINE, 1, 4),
    _rule("safe_moud", takes_moud, SAID_MOUD, 3, 3),
    _rule("safe_overdose_signs", takes_opioid_medicine, SAID_OPIOID_MEDICINE, 4, 3),
    _rule("safe_mixing_storage", takes_opioid_medicine, SAID_OPIOID_MEDICINE, 6, 3),
    _rule("safe_dose", takes_otc_reliever, SAID_OTC, 10),
    _rule("safe_dose", takes_rx_nonopioid, SAID_RX_NONOPIOID, 11),
    _rule("safe_dose", uses_pain_relievers_now, SAID_RELIEVERS_NOW, 12),
    _rule("safe_dose", takes_opioid, SAID_OPIOID, 13),  # some opioid pills hold acetaminophen
    # Understand: the sections most tied to the answers come first. They explain;
    # they are never a next step about the person's own opioid (see NOT_NEXT_STEPS).
    _rule("understand_long_term_opioid", long_term_opioid, SAID_OPIOID_LONG, 10, 2),
    _rule("understand_cycle", lasting_pain_and_lonely_score, (SAID_PAIN_LASTED, SAID_UCLA), 15, 2),
    _rule("understand_cycle", lasting_pain_and_avoids_people, (SAID_PAIN_LASTED, SAID_AVOIDS), 16),
    _rule("understand_cycle", frequent_pain_and_lonely, (SAID_PAIN_OFTEN, SAID_LONELY), 17),
    _rule("understand_opioid_system", takes_opioid, SAID_OPIOID, 20),
    _rule("understand_opioid_system", felt_rejected, SAID_REJECTED, 42),
    _rule("understand_pain_kinds", felt_rejected, SAID_REJECTED, 30),
    _rule("understand_pain_kinds", avoids_people, SAID_AVOIDS, 31),
    _rule("understand_pain_kinds", lonely_score_6_plus, SAID_UCLA, 32),
    _rule("understand_brain_body", any_pain, SAID_PAIN_OFTEN, 50),
    # Try now: each card needs the answer it is about. Sleeping well never brings
    # sleep habits; a little stress never brings mindfulness.
    _rule("try_sleep_habits", sleeps_poorly, SAID_SLEEP, 10, 3),
    _rule("try_mindfulness", very_stressed, SAID_VERY_STRESSED, 11, 3),
    _learn("try_sleep_habits", 20),
    _learn("try_mindfulness", 21),
    _learn("try_gentle_exercise", 22),
    _learn("try_anti_inflammatory_eating", 23),
    _rule("try_gentle_exercise", limits_life_often, SAID_PAIN_LIMITS, 30, 2),
    _rule("try_sleep_habits", sleeps_fairly_well, SAID_SLEEP, 40),
    _rule("try_mindfulness", somewhat_stressed, SAID_SOMEWHAT_STRESSED, 41),
    _rule("try_mindfulness", pain_and_lonely_score, (SAID_PAIN_OFTEN, SAID_UCLA), 42),
    _rule("try_gentle_exercise", pain_in("back_neck"), said_area("back_neck"), 45, 2),
    _rule("try_gentle_exercise", pain_in("joints_muscles"), said_area("joints_muscles"), 45, 2),
    _rule("try_gentle_exercise", pain_in("widespread"), said_area("widespread"), 46),
    _rule("try_anti_inflammatory_eating", pain_in("widespread"), said_area("widespread"), 46),
    _rule("try_anti_inflammatory_eating", pain_in("joints_muscles"), said_area("joints_muscles"), 47),
    # Ask your clinician about: evidence follows where it hurts. Head: Botox for
    # frequent migraine and acupuncture ahead of chiropractic care; back and neck:
    # spinal manipulation and a physical therapist; nerve and widespread pain:
    # antidepressants used for pain.
    _rule("ask_pain_plan", severe_pain_score, SAID_PEG_SEVERE, 5, 4),
    _rule("ask_pain_plan", pain_with_every_option_in_use, (SAID_ALL_IN_USE, SAID_ONGOING), 6, 3),
    _rule("ask_botox", head_pain_often, (said_area("head"), SAID_PAIN_OFTEN), 10, 3),
    _rule("ask_acupuncture", ongoing_pain_in("head"), (said_area("head"), SAID_ONGOING), 12, 3),
    _learn("ask_botox", 20),
    _learn("ask_antidepressants", 21),
    _learn("ask_cbt", 21),
    _learn("ask_acupuncture", 21),
    _learn("ask_pain_relievers", 21),
    _learn("ask_chiropractic", 21),
    _learn("ask_physical_therapy", 22),
    _rule("ask_antidepressants", ongoing_pain_in("nerve"), (said_area("nerve"), SAID_ONGOING), 25, 3),
    _rule("ask_antidepressants", ongoing_pain_in("widespread"), (said_area("widespread"), SAID_ONGOING), 26, 3),
    _rule("ask_chiropractic", ongoing_pain_in("back_neck"), (said_area("back_neck"), SAID_ONGOING), 30, 3),
    _rule("ask_physical_therapy", ongoing_pain_in("back_neck"), (said_area("back_neck"), SAID_ONGOING), 31, 2),
    _rule("ask_physical_therapy", ongoing_pain_in("joints_muscles"), (said_area("joints_muscles"), SAID_ONGOING),
          32, 2),
    _rule("ask_cbt", very_stressed, SAID_VERY_STRESSED, 33, 2),
    _rule("ask_physical_therapy", limits_life_often, SAID_PAIN_LIMITS, 35),
    _rule("ask_cbt", lonely_score_6_plus, SAID_UCLA, 38),
    _rule("ask_cbt", avoids_people, SAID_AVOIDS, 39),
    _rule("ask_chiropractic", ongoing_pain_in("head"), (said_area("head"), SAID_ONGOING), 40),
    _rule("ask_chiropractic", ongoing_pain_in("joints_muscles"), (said_area("joints_muscles"), SAID_ONGOING), 41),
    _rule("ask_antidepressants", ongoing_pain_in("head"), (said_area("head"), SAID_ONGOING), 42),
    _rule("ask_antidepressants", ongoing_pain_in("joints_muscles"), (said_area("joints_muscles"), SAID_ONGOING), 43),
    _rule("ask_acupuncture", ongoing_pain_in("joints_muscles"), (said_area("joints_muscles"), SAID_ONGOING), 44),
    _rule("ask_cbt", lasting_pain, SAID_PAIN_LASTED, 50),
    _rule("ask_acupuncture", lasting_pain, SAID_PAIN_LASTED, 55),
    _rule("ask_pain_relievers", lasting_pain, SAID_PAIN_LASTED, 57),
    # Ask your clinician about: questions to bring.
    _rule("q_opioid_mood", long_term_opioid_and_lonely_score, (SAID_OPIOID_LONG, SAID_UCLA), 10, 2),
    _rule("q_opioid_mood", long_term_opioid_and_lonely_often, (SAID_OPIOID_LONG, SAID_LONELY), 11, 2),
    _rule("q_opioid_plan", long_term_opioid, SAID_OPIOID_LONG, 15, 2),
    _rule("q_pain_score", severe_pain_score, SAID_PEG, 19, 2),
    _rule("q_pain_score", pain_score_4_plus, SAID_PEG, 20, 2),
    _rule("q_daily_life", limits_life_often, SAID_PAIN_LIMITS, 25, 2),
    _rule("q_sleep", sleeps_poorly, SAID_SLEEP, 30, 2),
    _rule("q_stress_alone", pain_and_very_stressed, (SAID_PAIN_OFTEN, SAID_VERY_STRESSED), 35, 2),
    _rule("q_stress_alone", pain_and_lonely_score, (SAID_PAIN_OFTEN, SAID_UCLA), 36),
    # Connect: help at once first, then the person's own community.
    _rule("connect_988", said_yes_to_safety, (SAID_SAFETY, c.NO_ONE_ALERTED), 0, 5),
    _rule("connect_988", safety_prefer_not, (SAID_SAFETY_PREFER_NOT, c.NO_ONE_ALERTED), 1, 3),
    _rule("connect_trusted_person", said_yes_to_safety, SAID_SAFETY, 5, 2),
    _rule("connect_community", always, SAID_SITE, 10, 2, needs_site=True),
    _rule("connect_988", lonely_score_and_low_support, (SAID_UCLA, SAID_SUPPORT), 20, 3),
    _rule("connect_988", lonely_often_and_low_support, (SAID_LONELY, SAID_SUPPORT), 21, 3),
    _rule("connect_peer_support", lonely_score_6_plus, SAID_UCLA, 30, 2),
    _rule("connect_peer_support", lonely_often, SAID_LONELY, 31, 2),
    _rule("connect_peer_support", avoids_people, SAID_AVOIDS, 32),
    _rule("connect_trusted_person", felt_rejected, SAID_REJECTED, 35),
    _rule("connect_trusted_person", support_low, SAID_SUPPORT, 36, 2),
    _rule("connect_trusted_person", support_not_always, SAID_SUPPORT, 37),
    _rule("connect_trusted_person", lonely_at_times, SAID_LONELY, 38),
)

# When no rule above fires, a few starting points, 988 among them. They respect
# the coping answers like any other card.
STARTING_POINTS: tuple[Rule, ...] = tuple(
    _rule(item, condition, reason, priority, weight)
    for condition, reason in ((few_answers, SAID_FEW_ANSWERS), (answers_point_nowhere, SAID_NOTHING_STOOD_OUT))
    for item, priority, weight in (("connect_988", 90, 2), ("connect_trusted_person", 91, 1),
                                   ("understand_pain_kinds", 93, 1))
) + (_rule("try_mindfulness", few_answers_stress_unsaid, SAID_FEW_ANSWERS, 92),)

RULE_BY_ID = {rule.id: rule for rule in RULES + STARTING_POINTS}

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
    links: tuple[tuple[str, str], ...] = ()  # (words, tel:/sms:/chat href)
    rules: tuple[str, ...] = ()  # ids of the rules that fired for it
    fit: int = 0  # the sum of their weights: how strongly the answers point here

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
OPEN_CARDS = {c.MEDICINE_SAFETY: 2, c.TRY_NOW: 2, c.ASK_CLINICIAN: 2, c.CONNECT: 2, c.UNDERSTAND: 1}
# When the medicine safety lane shows two open cards (an opioid medicine), they
# come out of these lanes' share, so the page stays a handful of phone screens.
OPEN_CARDS_BESIDE_SAFETY = {c.TRY_NOW: 1, c.ASK_CLINICIAN: 1, c.CONNECT: 1}
OPEN_QUESTIONS = 1


@dataclass(frozen=True)
class Lane:
    key: str
    heading: str
    intro: str
    empty: str
    items: tuple[Item, ...]  # suggestions by rank, then options the person uses now
    questions: tuple[Item, ...] = ()  # ask_clinician only: questions to bring
    open: int = 1  # how many of ``items`` are shown open (OPEN_CARDS)

    @property
    def first(self) -> tuple[Item, ...]:
        return self.items[: self.open]

    @property
    def more(self) -> tuple[Item, ...]:
        return self.items[self.open:]

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
    starting_points: bool = False  # nothing fitted the answers: the lanes hold starting points
    # Said beside a "yes" or "Prefer not to say" to the safety question (else empty).
    no_one_alerted: str = ""

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
        words["peg"] = score_text(scores.peg)
    if scores.ucla3 is not None:
        words["ucla3"] = scores.ucla3
    if takes_opioid(answers, scores) and takes_moud(answers, scores):
        words["opioid_medicine"] = gettext(
            'Among your medicines, you chose "a prescribed opioid" and buprenorphine, methadone or naltrexone.'
        )
    else:
        words["opioid_medicine"] = SAID_MOUD if takes_moud(answers, scores) else SAID_OPIOID
    if lasting_pain(answers, scores):
        words["ongoing"] = SAID_PAIN_LASTED.format_map(words)
    elif frequent_pain(answers, scores):
        words["ongoing"] = SAID_PAIN_OFTEN.format_map(words)
    return words


def _acknowledgement(text: c.ItemText) -> Item:
    """Return an option the person uses now, as a "keep going" note rather than a push."""
    label = _lower_first(c.OPTION_LABELS[text.option])
    words = c.KEEP_GOING_BY_ITEM.get(text.id, c.KEEP_GOING[text.lane])
    return Item(
        id=text.id,
        lane=text.lane,
        kind=text.kind,
        title=str(text.title),
        body=str(words),
        short=str(words),
        reasons=(gettext('You said you use "{option}" now: keep going.').format(option=label),),
        status=USING_NOW,
    )


def _suggestion(text: c.ItemText, matched: list[Rule], words: dict, site, state) -> Item:
    """Return an item the rules chose, with every reason that fired, best first."""
    reasons = [sentence.format_map(words) for rule in matched for sentence in rule.reason]
    lead = len(dict.fromkeys(reasons[: len(matched[0].reason)]))
    fit = sum(rule.weight for rule in matched)
    if state == "tried_before":
        reasons.append(gettext('You said you tried "{option}" before.').format(
            option=_lower_first(str(c.OPTION_LABELS[text.option]))))
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
        source=str(text.source),
        links=tuple((str(words_), href) for words_, href in text.links),
        rules=tuple(rule.id for rule in matched),
        fit=fit,
    )


def _fired(table, answers: Mapping, scores: Scores, words: dict) -> dict[str, list[Rule]]:
    fired: dict[str, list[Rule]] = {}
    for rule in table:
        if rule.needs_site and not words["site_name"]:
            continue
        if rule.condition(answers, scores):
            fired.setdefault(rule.item, []).append(rule)
    return fired


def _ranked(fired: dict[str, list[Rule]], states: dict, words: dict, site) -> tuple[list[Item], list[Item]]:
    """Return (suggestions by fit, options in use in table order) for the rules that fired."""
    suggested: list[tuple[int, int, int, Item]] = []  # (-fit, best priority, table order, item)
    acknowledged: list[Item] = []
    for order, text in enumerate(c.ITEMS):
        state = states.get(text.option) if text.option else None
        if state == "not_for_me":
            continue
        if state == "using_now":
            if _ACKNOWLEDGED_BY[text.option] == text.id:
                acknowledged.append(_acknowledgement(text))
            continue
        if text.id in fired:
            # The best rule first: the heaviest, then the lowest priority, then table order.
            matched = sorted(fired[text.id], key=lambda rule: (-rule.weight, rule.priority))
            item = _suggestion(text, matched, words, site, state)
            suggested.append((-item.fit, matched[0].priority, order, item))
    return [entry[-1] for entry in sorted(suggested, key=lambda entry: entry[:3])], acknowledged


# A reason sentence leads at most this many cards; further cards lead with another
# of their reasons, or say briefly that they answer the same thing.
MAX_SAME_LEAD = 2
SAME_REASON = _("Shown for the same reason as the cards above it.")


def _group_reasons(items: list[Item]) -> list[Item]:
    """Return the items, in page order, with no reason leading more than ``MAX_SAME_LEAD`` cards.

    One answer often brings several cards; saying its sentence on every one of
    them is noise. A card whose reasons have all led enough cards keeps them in
    its folded part and leads with ``SAME_REASON``.
    """
    leads: dict[str, int] = {}
    out = []
    for item in items:
        if item.status != SUGGESTED or item.kind == c.QUESTION:
            out.append(item)
            continue
        main = item.reasons[: item.lead]
        if all(leads.get(sentence, 0) < MAX_SAME_LEAD for sentence in main):
            chosen = list(main)
        else:
            fresh = [sentence for sentence in item.reasons if leads.get(sentence, 0) < MAX_SAME_LEAD]
            chosen = fresh[:1]
        for sentence in chosen:
            leads[sentence] = leads.get(sentence, 0) + 1
        if chosen:
            rest = [sentence for sentence in item.reasons if sentence not in chosen]
            out.append(replace(item, reasons=tuple(chosen + rest), lead=len(chosen)))
        else:
            out.append(replace(item, reasons=(str(SAME_REASON), *item.reasons), lead=1))
    return out


def evaluate(answers: Mapping, scores: Scores, *, site=None) -> Results:
    """Return the results for one set of answers: items per lane, each with its reasons.

    ``site`` is None, or an object or mapping with ``name`` and ``contact`` (the
    community whose link the person came by). Pure: reads its arguments only.
    """
    words = _words(answers, scores, _site_value(site, "name"))
    states = {option: answers.get(ins.coping_field(option)) for option, _ in ins.COPING_OPTIONS}
    suggested, acknowledged = _ranked(_fired(RULES, answers, scores, words), states, words, site)
    starting = not suggested  # nothing to suggest: a few places to start, next to any option in use
    if starting:
        suggested, _ = _ranked(_fired(STARTING_POINTS, answers, scores, words), states, words, site)
    by_lane = {
        lane.key: [item for item in suggested + acknowledged if item.lane == lane.key] for lane in c.LANES
    }
    page = [item for lane in c.LANES for item in by_lane[lane.key]]
    grouped = {item.id: item for item in _group_reasons(page)}
    opened = dict(OPEN_CARDS)
    if len(by_lane[c.MEDICINE_SAFETY]) >= OPEN_CARDS[c.MEDICINE_SAFETY]:
        opened.update(OPEN_CARDS_BESIDE_SAFETY)

    lanes = tuple(
        Lane(
            key=lane.key,
            heading=str(lane.heading),
            intro=str(lane.intro),
            empty=str(lane.empty),
            items=tuple(grouped[item.id] for item in by_lane[lane.key] if item.kind != c.QUESTION),
            questions=tuple(grouped[item.id] for item in by_lane[lane.key] if item.kind == c.QUESTION),
            open=opened[lane.key],
        )
        for lane in c.LANES
        if by_lane[lane.key] or not lane.optional
    )
    safety = answers.get("safety")
    return Results(
        lanes=lanes,
        not_for_you=tuple(str(label) for option, label in ins.COPING_OPTIONS if states[option] == "not_for_me"),
        shown=tuple(item.id for lane in lanes for item in lane.items + lane.questions),
        starting_points=starting,
        no_one_alerted=str(c.NO_ONE_ALERTED) if safety in ("yes", ins.PREFER_NOT) else "",
    )


def help_first(answers: Mapping) -> bool:
    """Return whether the results open with the crisis help panel (a "yes" to the safety question)."""
    return said_yes_to_safety(answers, None)


MAX_NEXT_STEPS = 3  # a few: the page must still show something to try within two phone screens
MAX_NEXT_STEPS_PER_LANE = 2
# Reading about one's own opioid is never a next step: it reads as "the problem is
# your opioid". The sections stay in the Understand lane. Of the medicine safety
# notes, naloxone (something to get) and the opioid recovery medicine card are
# steps; the others are things to know, shown open in their lane.
NOT_NEXT_STEPS = frozenset({"understand_long_term_opioid", "understand_opioid_system",
                            "safe_dose", "safe_overdose_signs", "safe_mixing_storage"})
# Ties of fit go to something to do before something to read.
NEXT_STEP_LANES = (c.MEDICINE_SAFETY, c.TRY_NOW, c.CONNECT, c.ASK_CLINICIAN, c.UNDERSTAND)


@dataclass(frozen=True)
class NextStep:
    item_id: str  # the card it links to: #item-<id>
    label: str  # what kind of step: "Try", "Ask about"...
    title: str
    fit: int = 0


def next_steps(results: Results, *, help_shown: bool = False) -> tuple[NextStep, ...]:
    """Return the few best-fitting suggestions, one line each, for the top of the results.

    Candidates are the cards shown open and the first question to bring of each
    lane (so every link lands on something in view), ranked by fit; at most
    ``MAX_NEXT_STEPS_PER_LANE`` from one lane, and an article idea only when
    nothing else fills the list. An option the person uses now is not a next step;
    when the help panel is already shown, the 988 card is not listed again.
    """
    candidates = []
    for lane in results.lanes:
        for rank, item in enumerate(lane.first + lane.first_questions):
            if item.status != SUGGESTED or item.id in NOT_NEXT_STEPS:
                continue
            if help_shown and item.id == "connect_988":
                continue
            candidates.append((lane.key == c.UNDERSTAND, -item.fit, NEXT_STEP_LANES.index(lane.key), rank, item))
    steps: list[NextStep] = []
    per_lane: dict[str, int] = {}
    for *_, item in sorted(candidates, key=lambda entry: entry[:4]):
        if per_lane.get(item.lane, 0) == MAX_NEXT_STEPS_PER_LANE:
            continue
        if item.lane == c.UNDERSTAND and len(steps) >= 2:
            continue
        per_lane[item.lane] = per_lane.get(item.lane, 0) + 1
        label = c.NEXT_STEP_QUESTION_LABEL if item.kind == c.QUESTION else c.NEXT_STEP_LABELS[item.lane]
        steps.append(NextStep(item.id, str(label), item.title, item.fit))
        if len(steps) == MAX_NEXT_STEPS:
            break
    return tuple(steps)


def shown_item_ids(results: Results) -> list[str]:
    """Return the ids of the items shown, in page order (stored with a shared check-in)."""
    return list(results.shown)


def about_context() -> dict:
    """Return the context of the "About the questions" page."""
    return {
        "intro": c.ABOUT_INTRO,
        "sources": c.about_sources(),
        "article": c.ABOUT_ARTICLE,
        "content_version": CONTENT_VERSION,
        # Where each instrument's Spanish wording comes from (content.SPANISH_SOURCES).
        "spanish_sources": c.SPANISH_SOURCES,
    }

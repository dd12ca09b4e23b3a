"""The check-in's questions as data: codes, exact wording, answer choices, sources.

Nothing here imports any other module of ours, and of Django only its
translation functions: every text is marked for translation (lazily, so the
words come in the language of the page that shows them; the Spanish lives in
``questionnaire/locale/es``). Codes are never translated. Forms, models, scoring,
the rules table and the staff aggregates are all built from these tables, so a
question's wording or vocabulary is changed in exactly one place.

Answer values are short, stable text codes (stored as they are in the database);
the 0-10 PEG items are small integers. "Not answered" is always ``None`` and is
never a value in a choice list. "Prefer not to say" is the code ``prefer_not``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy as _, pgettext_lazy

PREFER_NOT = "prefer_not"
PREFER_NOT_LABEL = _("Prefer not to say")

SINGLE = "single"  # one choice from a list
SCALE = "scale"  # an integer from 0 to 10
MULTI = "multi"  # any number of choices (stored as one boolean per option)
GRID = "grid"  # one choice per row, same choices for every row (coping options)


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    citation: str
    year: int


SOURCES = {
    s.key: s
    for s in (
        Source(
            "nhis",
            _("National Health Interview Survey (NHIS)"),
            _("National Center for Health Statistics, National Health Interview Survey "
            "(pain questions from 2019; social support question from 2020)."),
            2019,
        ),
        Source(
            "nih",
            _("National Institutes of Health (NIH)"),
            _("NIH, chronic pain information: pain that lasts 3 months or more, and "
            "ten non-opioid options for chronic pain."),
            2023,
        ),
        Source(
            "peg",
            _("PEG three-item pain scale"),
            "Krebs EE, Lorenz KA, Bair MJ, et al. Development and initial validation of "
            "the PEG, a three-item scale assessing pain intensity and interference. "
            "J Gen Intern Med. 2009;24(6):733-738.",
            2009,
        ),
        Source(
            "ucla3",
            _("UCLA three-item loneliness scale"),
            "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring "
            "loneliness in large surveys. Research on Aging. 2004;26(6):655-672.",
            2004,
        ),
        Source(
            "ons",
            _("Office for National Statistics (ONS) direct loneliness question"),
            _("Office for National Statistics (UK), national measures of loneliness: "
            "'How often do you feel lonely?'"),
            2018,
        ),
        Source(
            "ours",
            _("Written for this check-in"),
            _("Written for this check-in. It is not a validated scale; "
            "we report the answers as they were given."),
            2026,
        ),
    )
}


@dataclass(frozen=True)
class Question:
    code: str
    text: str  # the exact wording shown to the person
    kind: str
    source: str  # a key of SOURCES
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); never includes None
    short: str = ""  # a few words for review pages and staff tables
    help: str = ""
    prefer_not: bool = False  # offer "Prefer not to say"
    rows: tuple[tuple[str, str], ...] = ()  # GRID only: (row code, row label)
    low_label: str = ""  # SCALE only: meaning of 0
    high_label: str = ""  # SCALE only: meaning of 10
    lead: str = ""  # a line said before the question (our words, not the instrument's)

    @property
    def all_choices(self) -> tuple[tuple[str, str], ...]:
        """Return every choice offered, "Prefer not to say" last when it is offered."""
        if self.prefer_not:
            return self.choices + ((PREFER_NOT, PREFER_NOT_LABEL),)
        return self.choices

    @property
    def values(self) -> tuple:
        if self.kind == SCALE:
            return tuple(range(0, 11))
        return tuple(value for value, _ in self.all_choices)

    def label(self, value) -> str:
        """Return the words for a stored value (``None`` reads "Not answered")."""
        if value is None:
            return gettext("Not answered")
        if self.kind == SCALE:
            return gettext("%(value)s out of 10") % {"value": value}
        return dict(self.all_choices)[value]


FREQUENCY = (
    ("never", _("Never")),
    ("some_days", _("Some days")),
    ("most_days", _("Most days")),
    ("every_day", _("Every day")),
)

PAIN_AREAS = (
    ("back_neck", _("Back or neck")),
    ("head", _("Head, including migraine")),
    ("joints_muscles", _("Joints or muscles")),
    ("nerve", _("Nerve pain (burning, tingling, shooting)")),
    ("widespread", _("Pain in many places (for example, fibromyalgia)")),
    ("other", _("Somewhere else")),
)

MEDICINES = (
    ("none", pgettext_lazy("pain medicines", "None")),
    ("otc", _("A pain reliever I buy without a prescription, not an opioid")),
    ("rx_nonopioid", _("A prescribed pain medicine that is not an opioid")),
    ("rx_opioid", _("A prescribed opioid (for example, oxycodone, hydrocodone, morphine)")),
    # In the staff's tables from publication format 5 on (``stats.catalogue.ADDED``):
    # periods published before keep their tables without it.
    ("moud", _("Medication for opioid use disorder (buprenorphine, methadone, naltrexone)")),
)
# The medicines after which the results show naloxone, overdose signs and safe storage.
OPIOID_MEDICINES = ("rx_opioid", "moud")

UCLA_CHOICES = (
    ("hardly_ever", _("Hardly ever")),
    ("some_of_the_time", _("Some of the time")),
    ("often", _("Often")),
)
UCLA_POINTS = {"hardly_ever": 1, "some_of_the_time": 2, "often": 3}

# NIH's ten non-opioid options for chronic pain (the article's closing list).
COPING_OPTIONS = (
    ("acupuncture", _("Acupuncture")),
    ("pain_relievers", _("Pain relievers that are not opioids")),
    ("antidepressants", _("Antidepressants used for pain")),
    ("anti_inflammatory_diet", _("Anti-inflammatory eating")),
    ("botox", _("Botulinum toxin (Botox) for chronic migraine")),
    ("chiropractic", _("Chiropractic care")),
    ("cbt", _("Cognitive behavioral therapy (CBT)")),
    ("exercise", _("Exercise or physical therapy")),
    ("sleep_hygiene", _("Good sleep habits")),
    ("mindfulness", _("Mindfulness, meditation, yoga or tai chi")),
)
COPING_STATES = (
    ("using_now", _("Using now")),
    ("tried_before", _("Tried before")),
    ("learn_more", _("Would like to learn more")),
    ("not_for_me", _("Not for me")),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "pain_frequency",
        _("In the past 3 months, how often did you have pain?"),
        SINGLE,
        "nhis",
        FREQUENCY,
        short=_("How often you had pain (past 3 months)"),
    ),
    Question(
        "pain_duration",
        _("How long has this pain been going on?"),
        SINGLE,
        "nih",
        (
            ("under_3_months", _("Less than 3 months")),
            ("3_months_plus", _("3 months or more")),
            ("not_sure", _("Not sure")),
        ),
        short=_("How long the pain has lasted"),
    ),
    Question(
        "pain_impact",
        _("In the past 3 months, how often did your pain limit your life or work activities?"),
        SINGLE,
        "nhis",
        FREQUENCY,
        short=_("How often pain limited life or work"),
    ),
    Question(
        "pain_areas",
        _("Where do you have pain?"),
        MULTI,
        "ours",
        PAIN_AREAS,
        short=_("Where it hurts"),
        help=_("Choose all that apply."),
    ),
    Question(
        "peg_pain",
        _("What number best describes your pain on average in the past week?"),
        SCALE,
        "peg",
        short=_("Pain on average (past week)"),
        low_label=_("No pain"),
        high_label=_("Pain as bad as you can imagine"),
    ),
    Question(
        "peg_enjoyment",
        _("What number best describes how, during the past week, pain has interfered "
        "with your enjoyment of life?"),
        SCALE,
        "peg",
        short=_("Pain got in the way of enjoying life"),
        low_label=_("Does not interfere"),
        high_label=_("Completely interferes"),
    ),
    Question(
        "peg_activity",
        _("What number best describes how, during the past week, pain has interfered "
        "with your general activity?"),
        SCALE,
        "peg",
        short=_("Pain got in the way of daily activity"),
        low_label=_("Does not interfere"),
        high_label=_("Completely interferes"),
    ),
    Question(
        "ucla_companionship",
        _("How often do you feel that you lack companionship?"),
        SINGLE,
        "ucla3",
        UCLA_CHOICES,
        short=_("Lack companionship"),
        prefer_not=True,
    ),
    Question(
        "ucla_left_out",
        _("How often do you feel left out?"),
        SINGLE,
        "ucla3",
        UCLA_CHOICES,
        short=_("Feel left out"),
        prefer_not=True,
    ),
    Question(
        "ucla_isolated",
        _("How often do you feel isolated from others?"),
        SINGLE,
        "ucla3",
        UCLA_CHOICES,
        short=_("Feel isolated from others"),
        prefer_not=True,
    ),
    Question(
        "lonely",
        _("How often do you feel lonely?"),
        SINGLE,
        "ons",
        (
            ("often_always", _("Often or always")),
            ("some_of_the_time", _("Some of the time")),
            ("occasionally", _("Occasionally")),
            ("hardly_ever", _("Hardly ever")),
            ("never", _("Never")),
        ),
        short=_("How often you feel lonely"),
        prefer_not=True,
    ),
    Question(
        "rejected",
        _("In the past month, how often have you felt rejected or pushed away by people "
        "who matter to you?"),
        SINGLE,
        "ours",
        (("never", _("Never")), ("sometimes", _("Sometimes")), ("often", _("Often"))),
        short=_("Felt rejected or pushed away (past month)"),
        prefer_not=True,
    ),
    Question(
        "pain_avoidance",
        _("Has pain led you to avoid people or social activities?"),
        SINGLE,
        "ours",
        (("not_at_all", _("Not at all")), ("a_little", _("A little")), ("a_lot", _("A lot"))),
        short=_("Pain led you to avoid people"),
        prefer_not=True,
    ),
    Question(
        "support",
        _("How often do you get the social and emotional support you need?"),
        SINGLE,
        "nhis",
        (
            ("always", _("Always")),
            ("usually", _("Usually")),
            ("sometimes", _("Sometimes")),
            ("rarely", _("Rarely")),
            ("never", _("Never")),
        ),
        short=_("Get the support you need"),
        prefer_not=True,
    ),
    Question(
        "medicines",
        _("Which pain medicines do you take now?"),
        MULTI,
        "ours",
        MEDICINES,
        short=_("Pain medicines now"),
        help=_("Choose all that apply."),
        prefer_not=True,
    ),
    Question(
        "opioid_duration",
        _("If you take a prescribed opioid, how long have you been taking it?"),
        SINGLE,
        "ours",
        (("under_3_months", _("Less than 3 months")), ("3_months_plus", _("3 months or more"))),
        short=_("How long you have taken an opioid"),
        prefer_not=True,
    ),
    Question(
        "coping",
        _("Here are ten ways to ease long-term pain without opioids. For each one, "
        "which fits you best?"),
        GRID,
        "nih",
        COPING_STATES,
        short=_("Ways to ease pain"),
        rows=COPING_OPTIONS,
    ),
    Question(
        "sleep",
        _("How well do you sleep most nights?"),
        SINGLE,
        "ours",
        (
            ("well", pgettext_lazy("how one sleeps", "Well")),
            ("fairly_well", _("Fairly well")),
            ("poorly", _("Poorly")),
        ),
        short=_("How well you sleep"),
    ),
    Question(
        "stress",
        _("How stressed have you felt lately?"),
        SINGLE,
        "ours",
        (
            ("a_little", _("Not at all or a little")),
            ("somewhat", pgettext_lazy("how stressed", "Somewhat")),
            ("very", _("Very stressed")),
        ),
        short=_("How stressed you feel"),
    ),
    Question(
        "safety",
        _("Right now, are you thinking about ending your life or harming yourself?"),
        SINGLE,
        "ours",
        (("no", pgettext_lazy("safety answer", "No")), ("yes", pgettext_lazy("safety answer", "Yes"))),
        short=_("Thinking about ending your life or harming yourself"),
        prefer_not=True,
        lead=_("We ask this next question so we can show you where to find help. You may skip it. "
        "No one is alerted by your answer."),
    ),
)

BY_CODE = {q.code: q for q in QUESTIONS}


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    intro: str
    questions: tuple[str, ...] = field(default_factory=tuple)


# The privacy choice is its own first step, before any sensitive question.
STEPS: tuple[Step, ...] = (
    Step("privacy", _("Your privacy"), "", ()),
    Step(
        "pain",
        _("Your pain"),
        _("These questions are about any pain you have had."),
        ("pain_frequency", "pain_duration", "pain_impact", "pain_areas"),
    ),
    Step(
        "past-week",
        _("Pain in the past week"),
        _("Choose a number from 0 to 10 for each question."),
        ("peg_pain", "peg_enjoyment", "peg_activity"),
    ),
    Step(
        "connection",
        _("Feeling connected"),
        _("These questions are about how you feel about the people around you."),
        (
            "ucla_companionship",
            "ucla_left_out",
            "ucla_isolated",
            "lonely",
            "rejected",
            "pain_avoidance",
            "support",
        ),
    ),
    Step(
        "medicines",
        _("Pain medicines"),
        _("This helps us show the right things to read and ask about."),
        ("medicines", "opioid_duration"),
    ),
    Step("coping", _("What you do now"), "", ("coping",)),
    Step(
        "wellbeing",
        _("Sleep, stress and safety"),
        _("Last step. Then you can check your answers."),
        ("sleep", "stress", "safety"),
    ),
)

STEP_BY_SLUG = {s.slug: s for s in STEPS}

PRIVACY_CHOICES = (
    ("share", _("Share my answers anonymously, for statistics only")),
    ("private", _("Keep my answers only for me")),
)


def multi_field(question: str, option: str) -> str:
    """Return the storage name of one option of a multi-select question."""
    prefix = {"pain_areas": "area", "medicines": "med"}[question]
    return f"{prefix}_{option}"


def coping_field(option: str) -> str:
    """Return the storage name of one coping option's answer."""
    return f"coping_{option}"

"""The check-in's questions as data: codes, exact wording, answer choices, sources.

Nothing here imports Django or any other module of ours. Forms, models, scoring,
the rules table and the staff aggregates are all built from these tables, so a
question's wording or vocabulary is changed in exactly one place.

Answer values are short, stable text codes (stored as they are in the database);
the 0-10 PEG items are small integers. "Not answered" is always ``None`` and is
never a value in a choice list. "Prefer not to say" is the code ``prefer_not``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PREFER_NOT = "prefer_not"
PREFER_NOT_LABEL = "Prefer not to say"

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
            "National Health Interview Survey (NHIS)",
            "National Center for Health Statistics, National Health Interview Survey "
            "(pain questions from 2019; social support question from 2020).",
            2019,
        ),
        Source(
            "nih",
            "National Institutes of Health (NIH)",
            "NIH, chronic pain information: pain that lasts 3 months or more, and "
            "ten non-opioid options for chronic pain.",
            2023,
        ),
        Source(
            "peg",
            "PEG three-item pain scale",
            "Krebs EE, Lorenz KA, Bair MJ, et al. Development and initial validation of "
            "the PEG, a three-item scale assessing pain intensity and interference. "
            "J Gen Intern Med. 2009;24(6):733-738.",
            2009,
        ),
        Source(
            "ucla3",
            "UCLA three-item loneliness scale",
            "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring "
            "loneliness in large surveys. Research on Aging. 2004;26(6):655-672.",
            2004,
        ),
        Source(
            "ons",
            "Office for National Statistics (ONS) direct loneliness question",
            "Office for National Statistics (UK), national measures of loneliness: "
            "'How often do you feel lonely?'",
            2018,
        ),
        Source(
            "ours",
            "Written for this check-in",
            "Written for this check-in. It is not a validated scale; "
            "we report the answers as they were given.",
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
            return "Not answered"
        if self.kind == SCALE:
            return f"{value} out of 10"
        return dict(self.all_choices)[value]


FREQUENCY = (
    ("never", "Never"),
    ("some_days", "Some days"),
    ("most_days", "Most days"),
    ("every_day", "Every day"),
)

PAIN_AREAS = (
    ("back_neck", "Back or neck"),
    ("head", "Head, including migraine"),
    ("joints_muscles", "Joints or muscles"),
    ("nerve", "Nerve pain (burning, tingling, shooting)"),
    ("widespread", "Pain in many places (for example, fibromyalgia)"),
    ("other", "Somewhere else"),
)

MEDICINES = (
    ("none", "None"),
    ("otc", "A pain reliever I buy without a prescription, not an opioid"),
    ("rx_nonopioid", "A prescribed pain medicine that is not an opioid"),
    ("rx_opioid", "A prescribed opioid (for example, oxycodone, hydrocodone, morphine)"),
    # In the staff's tables from publication format 5 on (``stats.catalogue.ADDED``):
    # periods published before keep their tables without it.
    ("moud", "Medication for opioid use disorder (buprenorphine, methadone, naltrexone)"),
)
# The medicines after which the results show naloxone, overdose signs and safe storage.
OPIOID_MEDICINES = ("rx_opioid", "moud")

UCLA_CHOICES = (
    ("hardly_ever", "Hardly ever"),
    ("some_of_the_time", "Some of the time"),
    ("often", "Often"),
)
UCLA_POINTS = {"hardly_ever": 1, "some_of_the_time": 2, "often": 3}

# NIH's ten non-opioid options for chronic pain (the article's closing list).
COPING_OPTIONS = (
    ("acupuncture", "Acupuncture"),
    ("pain_relievers", "Pain relievers that are not opioids"),
    ("antidepressants", "Antidepressants used for pain"),
    ("anti_inflammatory_diet", "Anti-inflammatory eating"),
    ("botox", "Botulinum toxin (Botox) for chronic migraine"),
    ("chiropractic", "Chiropractic care"),
    ("cbt", "Cognitive behavioral therapy (CBT)"),
    ("exercise", "Exercise or physical therapy"),
    ("sleep_hygiene", "Good sleep habits"),
    ("mindfulness", "Mindfulness, meditation, yoga or tai chi"),
)
COPING_STATES = (
    ("using_now", "Using now"),
    ("tried_before", "Tried before"),
    ("learn_more", "Would like to learn more"),
    ("not_for_me", "Not for me"),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "pain_frequency",
        "In the past 3 months, how often did you have pain?",
        SINGLE,
        "nhis",
        FREQUENCY,
        short="How often you had pain (past 3 months)",
    ),
    Question(
        "pain_duration",
        "How long has this pain been going on?",
        SINGLE,
        "nih",
        (
            ("under_3_months", "Less than 3 months"),
            ("3_months_plus", "3 months or more"),
            ("not_sure", "Not sure"),
        ),
        short="How long the pain has lasted",
    ),
    Question(
        "pain_impact",
        "In the past 3 months, how often did your pain limit your life or work activities?",
        SINGLE,
        "nhis",
        FREQUENCY,
        short="How often pain limited life or work",
    ),
    Question(
        "pain_areas",
        "Where do you have pain?",
        MULTI,
        "ours",
        PAIN_AREAS,
        short="Where it hurts",
        help="Choose all that apply.",
    ),
    Question(
        "peg_pain",
        "What number best describes your pain on average in the past week?",
        SCALE,
        "peg",
        short="Pain on average (past week)",
        low_label="No pain",
        high_label="Pain as bad as you can imagine",
    ),
    Question(
        "peg_enjoyment",
        "What number best describes how, during the past week, pain has interfered "
        "with your enjoyment of life?",
        SCALE,
        "peg",
        short="Pain got in the way of enjoying life",
        low_label="Does not interfere",
        high_label="Completely interferes",
    ),
    Question(
        "peg_activity",
        "What number best describes how, during the past week, pain has interfered "
        "with your general activity?",
        SCALE,
        "peg",
        short="Pain got in the way of daily activity",
        low_label="Does not interfere",
        high_label="Completely interferes",
    ),
    Question(
        "ucla_companionship",
        "How often do you feel that you lack companionship?",
        SINGLE,
        "ucla3",
        UCLA_CHOICES,
        short="Lack companionship",
        prefer_not=True,
    ),
    Question(
        "ucla_left_out",
        "How often do you feel left out?",
        SINGLE,
        "ucla3",
        UCLA_CHOICES,
        short="Feel left out",
        prefer_not=True,
    ),
    Question(
        "ucla_isolated",
        "How often do you feel isolated from others?",
        SINGLE,
        "ucla3",
        UCLA_CHOICES,
        short="Feel isolated from others",
        prefer_not=True,
    ),
    Question(
        "lonely",
        "How often do you feel lonely?",
        SINGLE,
        "ons",
        (
            ("often_always", "Often or always"),
            ("some_of_the_time", "Some of the time"),
            ("occasionally", "Occasionally"),
            ("hardly_ever", "Hardly ever"),
            ("never", "Never"),
        ),
        short="How often you feel lonely",
        prefer_not=True,
    ),
    Question(
        "rejected",
        "In the past month, how often have you felt rejected or pushed away by people "
        "who matter to you?",
        SINGLE,
        "ours",
        (("never", "Never"), ("sometimes", "Sometimes"), ("often", "Often")),
        short="Felt rejected or pushed away (past month)",
        prefer_not=True,
    ),
    Question(
        "pain_avoidance",
        "Has pain led you to avoid people or social activities?",
        SINGLE,
        "ours",
        (("not_at_all", "Not at all"), ("a_little", "A little"), ("a_lot", "A lot")),
        short="Pain led you to avoid people",
        prefer_not=True,
    ),
    Question(
        "support",
        "How often do you get the social and emotional support you need?",
        SINGLE,
        "nhis",
        (
            ("always", "Always"),
            ("usually", "Usually"),
            ("sometimes", "Sometimes"),
            ("rarely", "Rarely"),
            ("never", "Never"),
        ),
        short="Get the support you need",
        prefer_not=True,
    ),
    Question(
        "medicines",
        "Which pain medicines do you take now?",
        MULTI,
        "ours",
        MEDICINES,
        short="Pain medicines now",
        help="Choose all that apply.",
        prefer_not=True,
    ),
    Question(
        "opioid_duration",
        "If you take a prescribed opioid, how long have you been taking it?",
        SINGLE,
        "ours",
        (("under_3_months", "Less than 3 months"), ("3_months_plus", "3 months or more")),
        short="How long you have taken an opioid",
        prefer_not=True,
    ),
    Question(
        "coping",
        "Here are ten ways to ease long-term pain without opioids. For each one, "
        "which fits you best?",
        GRID,
        "nih",
        COPING_STATES,
        short="Ways to ease pain",
        rows=COPING_OPTIONS,
    ),
    Question(
        "sleep",
        "How well do you sleep most nights?",
        SINGLE,
        "ours",
        (("well", "Well"), ("fairly_well", "Fairly well"), ("poorly", "Poorly")),
        short="How well you sleep",
    ),
    Question(
        "stress",
        "How stressed have you felt lately?",
        SINGLE,
        "ours",
        (
            ("a_little", "Not at all or a little"),
            ("somewhat", "Somewhat"),
            ("very", "Very stressed"),
        ),
        short="How stressed you feel",
    ),
    Question(
        "safety",
        "Right now, are you thinking about ending your life or harming yourself?",
        SINGLE,
        "ours",
        (("no", "No"), ("yes", "Yes")),
        short="Thinking about ending your life or harming yourself",
        prefer_not=True,
        lead="We ask this next question so we can show you where to find help. You may skip it. "
        "No one is alerted by your answer.",
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
    Step("privacy", "Your privacy", "", ()),
    Step(
        "pain",
        "Your pain",
        "These questions are about any pain you have had.",
        ("pain_frequency", "pain_duration", "pain_impact", "pain_areas"),
    ),
    Step(
        "past-week",
        "Pain in the past week",
        "Choose a number from 0 to 10 for each question.",
        ("peg_pain", "peg_enjoyment", "peg_activity"),
    ),
    Step(
        "connection",
        "Feeling connected",
        "These questions are about how you feel about the people around you.",
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
        "Pain medicines",
        "This helps us show the right things to read and ask about.",
        ("medicines", "opioid_duration"),
    ),
    Step("coping", "What you do now", "", ("coping",)),
    Step(
        "wellbeing",
        "Sleep, stress and safety",
        "Last step. Then you can check your answers.",
        ("sleep", "stress", "safety"),
    ),
)

STEP_BY_SLUG = {s.slug: s for s in STEPS}

PRIVACY_CHOICES = (
    ("share", "Share my answers anonymously, for statistics only"),
    ("private", "Keep my answers only for me"),
)


def multi_field(question: str, option: str) -> str:
    """Return the storage name of one option of a multi-select question."""
    prefix = {"pain_areas": "area", "medicines": "med"}[question]
    return f"{prefix}_{option}"


def coping_field(option: str) -> str:
    """Return the storage name of one coping option's answer."""
    return f"coping_{option}"

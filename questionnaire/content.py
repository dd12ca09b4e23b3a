"""The words of the results page and the "About the questions" page, one place each.

``rules`` decides which items a person sees and why; this module only holds what
each item says. Every text here is written in our own words (``tests/test_own_words``
checks that no run of eight words is copied from the article) and kept at a
grade 8 reading level or below (``tests/test_wording``). Change a text here and
bump ``rules.CONTENT_VERSION``.

Every text is marked for translation (``gettext_lazy``: the words come in the
language of the page that shows them; the Spanish is in ``questionnaire/locale/es``,
written as plain Spanish of its own, not word for word). Texts made of several
sentences are joined with ``format_lazy``, so each sentence is translated whole.

Nothing here imports Django but its translation functions; only ``instruments`` of ours.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import crisis_lines
from . import instruments as ins

UNDERSTAND = "understand"
MEDICINE_SAFETY = "medicine_safety"
TRY_NOW = "try_now"
ASK_CLINICIAN = "ask_clinician"
CONNECT = "connect"


@dataclass(frozen=True)
class LaneText:
    key: str
    heading: str
    intro: str
    empty: str  # said when nothing in the lane fits the answers
    optional: bool = False  # left off the page when nothing in it fits


# The lanes of the results page, in the order they are shown: the things to do
# first, medicine safety (only for someone who takes a pain reliever or an opioid
# medicine; its naloxone card is also a next step at the top) right after what
# to try, the article's ideas last (a person on a phone meets something to try
# within two screens).
LANES: tuple[LaneText, ...] = (
    LaneText(
        TRY_NOW,
        _("Try now"),
        _("Low-risk things to start on your own."),
        _("Nothing here fits your answers right now."),
    ),
    LaneText(
        MEDICINE_SAFETY,
        _("Medicine safety"),
        _("Notes for the medicines you take."),
        "",
        optional=True,
    ),
    LaneText(
        ASK_CLINICIAN,
        _("Ask your clinician about"),
        _("To talk over with a doctor or nurse."),
        _("Nothing here fits your answers right now."),
    ),
    LaneText(
        CONNECT,
        _("Connect"),
        _("People who can help you feel less alone."),
        _("Nothing here fits your answers right now."),
    ),
    LaneText(
        UNDERSTAND,
        _("Understand"),
        _("What an article says, in our own words."),
        _("None of the article's ideas fit your answers closely."),
    ),
)
LANE_KEYS = tuple(lane.key for lane in LANES)
# How a next step at the top of the results says which lane it comes from.
NEXT_STEP_LABELS = {MEDICINE_SAFETY: _("Stay safe"), TRY_NOW: _("Try"), ASK_CLINICIAN: _("Ask about"),
                    CONNECT: _("Connect"), UNDERSTAND: _("Read")}
# A question to bring, as a next step.
NEXT_STEP_QUESTION_LABEL = _("Ask")

# Kinds of item: an article section, one of NIH's ten options, a question to
# bring to a clinician, or a way to connect with people.
SECTION = "section"
OPTION = "option"
QUESTION = "question"
PEOPLE = "people"
SAFETY = "safety"  # medicine safety, from FDA, SAMHSA and CDC advice
PLAN = "plan"  # going over the whole plan with a clinician

# Said beside the safety question's answer, on the results and the crisis page.
NO_ONE_ALERTED = _("Your answers stay private. No one is alerted, and nothing is sent to anyone.")
# What the dose caution says wherever pain relievers come up, "using now" included.
DOSE_CAUTION = _("Too much can do harm, so ask how much to take and for how long.")
MEDICINE_CREDIT = (
    _("Medicine safety notes: our own words, based on advice from the FDA, SAMHSA and CDC. "
    "See About the questions.")
)
# The 988 Lifeline's chat, for a computer without a phone.
CHAT_988 = (_("Chat with 988 online"), crisis_lines.CHAT_988)

NEVER_STOP = _("Never stop or change an opioid dose on your own. Talk with your prescriber.")

# The titles are quoted as published (in English), whatever the language of the page.
ARTICLE_TITLE = "Opioids Can Increase Social Isolation and Sense of Rejection"
PAPER_TITLE = "When Physical and Social Pain Coexist: Insights Into Opioid Therapy"
ARTICLE_CREDIT = format_lazy(
    _('Source: a blog post by Pinnacle Treatment Centers, "{article_title}." '
      "It looks at a paper by Sullivan and Ballantyne. The paper ran in the Annals of "
      "Family Medicine. We put it in our own words."),
    article_title=ARTICLE_TITLE,
)


@dataclass(frozen=True)
class ItemText:
    id: str  # stable; stored with a shared check-in, so never reuse an old id
    lane: str
    kind: str
    title: str
    body: str = ""
    option: str = ""  # the coping option (instruments.COPING_OPTIONS) this item is about
    source: str = ""  # a credit line shown under the body
    links: tuple[tuple[str, str], ...] = ()  # (words, href): tel:, sms: and the 988 chat only
    short: str = ""  # one or two plain sentences: the card on the results page and the printout


ITEMS: tuple[ItemText, ...] = (
    # --- Medicine safety: our own words from FDA, SAMHSA and CDC advice. Never a word
    # that suggests changing a dose. ---
    ItemText(
        "safe_naloxone",
        MEDICINE_SAFETY,
        SAFETY,
        _("Naloxone: keep it close"),
        _("Naloxone is a medicine that can undo an opioid overdose and help a person breathe "
        "again. It most often comes as a nose spray. You can buy it at most drug stores "
        "without a prescription, and many health departments give it out free. Keep it where "
        "people can find it. Show family, friends or roommates where it is. Anyone can learn "
        "to use it in a few minutes. It does no harm to someone who has not taken an opioid. "
        "After giving it, call 911 and stay with the person."),
        source=MEDICINE_CREDIT,
        short=_("It can undo an opioid overdose. You can buy it without a prescription. "
        "People around you can learn to use it."),
    ),
    ItemText(
        "safe_moud",
        MEDICINE_SAFETY,
        SAFETY,
        _("Buprenorphine, methadone or naltrexone"),
        _("These medicines help many people stay well, and they make an overdose less likely. "
        "Keep taking yours just as it was prescribed. If you need care for pain, a dental visit "
        "or surgery, tell that clinician you take it. Pain can be treated safely along with it. "
        "Keep naloxone close too."),
        source=MEDICINE_CREDIT,
        short=_("Keep taking it as prescribed. Tell each clinician who treats your pain that you take it."),
    ),
    ItemText(
        "safe_overdose_signs",
        MEDICINE_SAFETY,
        SAFETY,
        _("Signs of an overdose"),
        _("An overdose can look like deep sleep. Watch for a person who cannot be woken up, "
        "very small pupils, slow or weak breathing or none at all, choking or gurgling sounds, "
        "a limp body, cold and clammy skin, or blue or gray lips and nails. Call 911. Give "
        "naloxone if it is on hand. Stay with the person and lay them on their side."),
        source=MEDICINE_CREDIT,
        short=_("Call 911 if someone will not wake up or breathes slowly or not at all. "
        "Give naloxone if it is on hand."),
    ),
    ItemText(
        "safe_mixing_storage",
        MEDICINE_SAFETY,
        SAFETY,
        _("Staying safe with opioid medicines"),
        _("Opioids taken with alcohol, sleep aids or benzodiazepines (such as Xanax or Valium) "
        "can slow breathing too much. Tell each clinician and pharmacist every medicine you "
        "take. At home, keep medicines in a locked place, out of sight of children, teens and "
        "pets. Never share them. Take medicines you no longer need to a drug take-back site or "
        "a pharmacy drop box."),
        source=MEDICINE_CREDIT,
        short=_("Do not mix with alcohol, sleep aids or benzodiazepines. Keep medicines locked "
        "away, and never share them."),
    ),
    ItemText(
        "safe_dose",
        MEDICINE_SAFETY,
        SAFETY,
        _("Taking pain relievers safely"),
        _("Pain relievers like acetaminophen, ibuprofen and naproxen can do harm if you take too "
        "much. Acetaminophen is in many cold and flu products and in some prescribed pain pills, "
        "so two products can add up to too much. Too much can hurt the liver. Ibuprofen, "
        "naproxen and aspirin can upset the stomach or make it bleed, and they can strain the "
        "kidneys. Read the label of each product. Ask your clinician or pharmacist how much to "
        "take and for how long."),
        source=MEDICINE_CREDIT,
        short=format_lazy("{} {}", _("Acetaminophen is in many products, so check each label."), DOSE_CAUTION),
    ),
    # --- Understand: the article's sections, summarised in our own words ---
    ItemText(
        "understand_pain_kinds",
        UNDERSTAND,
        SECTION,
        _("Physical pain and social pain"),
        _("Pain in the body works like an alarm. It tells us something is wrong, so we "
        "rest and guard the sore spot while it heals. Being left out or pushed away can "
        "hurt too. Researchers call this social pain. It is an alarm for our ties with "
        "other people. It tells us to pull back so we do not get hurt again. Both kinds "
        "of pain are real, and they often mix. Pain in the body can make it hard to see "
        "friends or go out. Feeling alone can make pain in the body feel worse. Knowing "
        "this can help you be kind to yourself. It also shows why staying close to "
        "people can matter for pain."),
        source=ARTICLE_CREDIT,
        short=_("Pain in the body and the hurt of being left out are both real. Each one can make the other worse."),
    ),
    ItemText(
        "understand_brain_body",
        UNDERSTAND,
        SECTION,
        _("How pain works in the brain and body"),
        _("Nerves all over the body sense harm, like heat, a bump or a cut. They send "
        "signals up to the brain. The brain sorts each signal in three ways. First, it "
        "finds where it hurts. Second, it judges how bad the hurt feels. Third, it helps "
        "us learn what to stay away from next time. Chemical messengers carry these "
        "signals from one nerve cell to the next. Some of them are called glutamate, "
        "GABA, serotonin and norepinephrine. The body also makes its own opioids. They "
        "ease pain, and they also shape mood and how close we feel to others. Since mood "
        "and stress feed into the same system, pain is never only about the sore spot."),
        source=ARTICLE_CREDIT,
        short=_("Nerves send signals to the brain. Mood and stress help set how strong pain feels."),
    ),
    ItemText(
        "understand_cycle",
        UNDERSTAND,
        SECTION,
        _("Long-lasting pain and social pain can feed each other"),
        _("Pain that lasts 3 months or more is called chronic pain. A study of people with "
        "back pain found a surprise. At first, the brain areas that handle hurt were "
        "busy. When the pain kept going, the busy areas moved to parts of the brain that "
        "handle feelings and reward. So pain that lasts can be driven by stress and "
        "feelings as much as by the sore spot. The pain is still real. This is how a "
        "cycle can start. Pain makes it hard to go out, so we see people less. Feeling "
        "alone or let down adds stress. Stress can make pain feel stronger. Small steps "
        "can break the cycle, like a short call, a walk with a friend, or a group that "
        "gets it."),
        source=ARTICLE_CREDIT,
        short=_("Pain that lasts can keep you away from people. Feeling alone can then make pain feel worse."),
    ),
    ItemText(
        "understand_opioid_system",
        UNDERSTAND,
        SECTION,
        _("Opioids, the body's own opioid system, and feeling alone"),
        format_lazy("{} {}", _("The body makes its own opioids. For a long time, research looked at how they "
        "ease pain and make us feel good. Newer studies show they do much more. They help "
        "us bond with others and feel we belong. They help the body calm down after "
        "stress. They help keep us in balance. Too much pain or stress can throw this "
        "system off. So can being turned away by people who matter to us. Then everyday "
        "joys, like time with friends, may feel flat, and low mood gets more likely. The "
        "authors think that opioid medicine taken for a long time may add to this, so "
        "some people feel more alone."), NEVER_STOP),
        source=ARTICLE_CREDIT,
        short=format_lazy("{} {}", _("The body's own opioids help us feel close to people. Long-term opioid "
        "use may change this."), NEVER_STOP),
    ),
    ItemText(
        "understand_long_term_opioid",
        UNDERSTAND,
        SECTION,
        _("Long-term opioid use: a new way to see it"),
        format_lazy("{} {} {}", _("Some people take an opioid for pain for months or years. Over time the body gets "
        "used to it. Cutting back can then be hard. There can be withdrawal and cravings. "
        "The body's own reward system may also be worn down, so it is harder to enjoy "
        "things and to feel you belong. The authors suggest the medicine may end up "
        "chasing the pain in a loop, while the person feels more cut off. For some "
        "people, such as people with cancer, long-term opioids can still be the right "
        "choice. That is a choice to make with your care team. Many experts now suggest "
        "using several kinds of care together for pain that lasts."), NEVER_STOP,
            _("Stopping all at once can be dangerous.")),
        source=ARTICLE_CREDIT,
        short=format_lazy("{} {}", _("Over months the body gets used to an opioid, and that can make pain "
                                        "care harder."), NEVER_STOP),
    ),
    # --- Try now: the low-risk self-care options among NIH's ten ---
    ItemText(
        "try_sleep_habits",
        TRY_NOW,
        OPTION,
        _("Good sleep habits"),
        _("Poor sleep can make pain feel worse, and pain can make sleep harder. Try to go "
        "to bed and get up at the same time each day. Keep your room dark, cool and "
        "quiet. Put screens away an hour before bed. Skip coffee and tea after lunch. A "
        "calm wind-down, like a warm shower or soft music, can help."),
        option="sleep_hygiene",
        short=_("A steady bedtime and a dark, quiet room help sleep. Better sleep can ease pain."),
    ),
    ItemText(
        "try_mindfulness",
        TRY_NOW,
        OPTION,
        _("Mindfulness, meditation, yoga or tai chi"),
        _("Mindfulness means paying calm attention to this moment. Meditation, gentle yoga "
        "and tai chi are ways to do it. They can ease stress. They can also change how "
        "you react to pain, so it feels less strong. Start small: sit for five minutes "
        "and notice your breath. Free videos can guide you. A class also lets you meet "
        "people."),
        option="mindfulness",
        short=_("A few calm minutes of breathing, yoga or tai chi can ease stress and soften pain."),
    ),
    ItemText(
        "try_gentle_exercise",
        TRY_NOW,
        OPTION,
        _("Gentle movement"),
        _("Moving your body can ease pain over time. It helps you keep doing the things you "
        "enjoy. Start slow: a short walk, some stretches, or moving in warm water. Add a "
        "little more each week. Some soreness at first is normal. Stop if the pain gets "
        "sharp. Moving with a friend or a group makes it easier to keep going."),
        option="exercise",
        short=_("Start slow with a short walk or some stretches. Add a little more each week."),
    ),
    ItemText(
        "try_anti_inflammatory_eating",
        TRY_NOW,
        OPTION,
        _("Anti-inflammatory eating"),
        _("Some foods may help calm swelling in the body, and that can ease pain. Fill your "
        "plate with vegetables, fruit, beans, whole grains, nuts and fish. Eat less sugar, "
        "white bread, fried food and packaged meat. Small swaps count. Check with your "
        "clinician before big changes to what you eat."),
        option="anti_inflammatory_diet",
        short=_("More vegetables, fruit, beans and fish, and less sugar and fried food, may ease pain."),
    ),
    # --- Ask your clinician about: the rest of NIH's ten ---
    ItemText(
        "ask_botox",
        ASK_CLINICIAN,
        OPTION,
        _("Botox shots for chronic migraine"),
        _("For people with migraine on many days each month, Botox shots can cut the number "
        "of headache days. The FDA has approved it for this use. A trained clinician gives "
        "the shots every few months. Ask if it could fit your headaches."),
        option="botox",
        short=_("For migraine on many days a month, shots every few months can mean fewer headache days."),
    ),
    ItemText(
        "ask_antidepressants",
        ASK_CLINICIAN,
        OPTION,
        _("Antidepressants used for pain"),
        _("Some medicines first made for low mood also ease pain. They can help with nerve "
        "pain, muscle and joint pain, and headaches. Taking one does not mean the pain is "
        "all in your head. They work on the pain signals. Ask about the good and the bad "
        "of them, and how long they take to work."),
        option="antidepressants",
        short=_("Some medicines made for low mood also calm pain signals, such as nerve pain."),
    ),
    ItemText(
        "ask_chiropractic",
        ASK_CLINICIAN,
        OPTION,
        _("Chiropractic care"),
        _("A chiropractor uses hands-on care, called spinal manipulation, to move and adjust the "
        "spine and joints. It can help low back pain and neck pain. For headaches the proof is "
        "weaker. Ask your clinician if it is safe for you, and how to find a licensed "
        "chiropractor."),
        option="chiropractic",
        short=_("Hands-on care for the spine, called spinal manipulation, may help back and neck pain."),
    ),
    ItemText(
        "ask_physical_therapy",
        ASK_CLINICIAN,
        OPTION,
        _("Exercise with a physical therapist"),
        _("A physical therapist can make an exercise plan that fits your body and your pain. "
        "Exercise led by a therapist can ease long-lasting low back pain. It can also help "
        "you stay active day to day. Ask for a referral, and ask how many visits your plan "
        "pays for."),
        option="exercise",
        short=_("A therapist can build an exercise plan that fits your body and your pain."),
    ),
    ItemText(
        "ask_cbt",
        ASK_CLINICIAN,
        OPTION,
        _("Cognitive behavioral therapy (CBT)"),
        _("CBT is a kind of talk therapy. You learn skills to handle hard thoughts and "
        "feelings that can make pain worse. You also learn ways to relax and to plan for "
        "pain flare-ups. It can help with pain that lasts. Ask for a therapist who works "
        "with pain. Some meet by phone or video."),
        option="cbt",
        short=_("A talk therapy that teaches skills for hard thoughts, stress and pain flare-ups."),
    ),
    ItemText(
        "ask_acupuncture",
        ASK_CLINICIAN,
        OPTION,
        _("Acupuncture"),
        _("A trained person puts very thin needles into the skin at certain points. It is "
        "safe when a licensed person does it, and it can ease some kinds of long-lasting "
        "pain, such as headaches and migraine, back pain and knee pain. Many VA clinics offer it. Ask if it could fit your pain, and if your "
        "insurance pays for it."),
        option="acupuncture",
        short=_("Very thin needles, placed by a licensed person, can ease some pain that lasts."),
    ),
    ItemText(
        "ask_pain_relievers",
        ASK_CLINICIAN,
        OPTION,
        _("Pain relievers that are not opioids"),
        _("Medicines like ibuprofen, naproxen, aspirin and acetaminophen can ease pain. They "
        "can also do harm if you take too much, or with some stomach, kidney or liver "
        "problems. Ask which one fits you, how much to take, and for how long."),
        option="pain_relievers",
        short=_("Medicines like ibuprofen and acetaminophen can ease pain. "
                "Ask which one fits you and how much is safe."),
    ),
    # --- Ask your clinician about: the whole plan ---
    ItemText(
        "ask_pain_plan",
        ASK_CLINICIAN,
        PLAN,
        _("Make a pain plan with your clinician"),
        _("You may already do a lot for your pain. A visit just to go over your plan can help. "
        "Bring this page, or a list of what you do now and how well each one works. Ask what "
        "could help more, what to try next, and whether a pain clinic or a care team could "
        "help. Ask how you will know if the plan is working."),
        short=_("Book a visit to go over everything you do for pain, and ask what could help more."),
    ),
    # --- Ask your clinician about: questions to bring (the title is the question) ---
    ItemText(
        "q_opioid_mood",
        ASK_CLINICIAN,
        QUESTION,
        _("Could my pain medicine be affecting my mood or how connected I feel?"),
    ),
    ItemText(
        "q_opioid_plan",
        ASK_CLINICIAN,
        QUESTION,
        _("Is my opioid still the best plan for my pain? What are the pros and cons for me now?"),
    ),
    ItemText(
        "q_pain_score",
        ASK_CLINICIAN,
        QUESTION,
        _("What could help bring my pain score down by a point or more?"),
    ),
    ItemText(
        "q_daily_life",
        ASK_CLINICIAN,
        QUESTION,
        _("Pain gets in the way of my life or work. What could help me do more each day?"),
    ),
    ItemText(
        "q_sleep",
        ASK_CLINICIAN,
        QUESTION,
        _("Could my pain or my medicines be hurting my sleep? What could help me sleep better?"),
    ),
    ItemText(
        "q_stress_alone",
        ASK_CLINICIAN,
        QUESTION,
        _("Could stress or feeling alone be making my pain worse? Who could I talk to?"),
    ),
    # --- Connect: the social side ---
    ItemText(
        "connect_988",
        CONNECT,
        PEOPLE,
        _("Call or text 988"),
        _("The 988 Lifeline is open all day and night. It is free and private. You do not "
        "need to be in crisis to call. You can reach out when you feel very alone or low "
        "and want someone to talk to. You can also chat with them online."),
        links=((_("Call 988"), crisis_lines.CALL_988), (_("Text 988"), crisis_lines.TEXT_988), CHAT_988),
        short=_("Free and private, day and night. You can reach out when you feel very alone or low."),
    ),
    ItemText(
        "connect_community",
        CONNECT,
        PEOPLE,
        _("Your community: {site_name}"),
        _("You came here through {site_name}. They can help you find groups, events and "
        "people to talk to. You do not need to face pain alone."),
        short=_("{site_name} can help you find groups, events and people to talk to."),
    ),
    ItemText(
        "connect_peer_support",
        CONNECT,
        PEOPLE,
        _("Peer support"),
        _("Talking with other people who live with pain can help you feel less alone. They "
        "know what it is like. Look for a pain support group at a clinic, a library, a "
        "place of worship or online. Recovery groups can help too. Try one meeting. It is "
        "fine to just listen at first."),
        short=_("People who live with pain know what it is like. Try one group. You can just listen."),
    ),
    ItemText(
        "connect_trusted_person",
        CONNECT,
        PEOPLE,
        _("Someone you trust"),
        _("Think of one person you trust. It could be a friend, a family member, a neighbor "
        "or a faith leader. Reach out to them this week, even with a short call or a text. "
        "You do not need to talk about pain. Being in touch is what counts."),
        short=_("Reach out to one person you trust this week, even with a short text."),
    ),
)

ITEM_BY_ID = {item.id: item for item in ITEMS}

# What a "using now" option says instead of its usual body: acknowledge, do not push.
KEEP_GOING = {
    TRY_NOW: _("Keep going with what works for you. Small steps each day add up."),
    ASK_CLINICIAN: _("Keep going. Tell your clinician how it is working for you."),
}
# ... except where an option in use still needs its safety line.
KEEP_GOING_BY_ITEM = {
    "ask_pain_relievers": format_lazy("{} {}", KEEP_GOING[ASK_CLINICIAN], DOSE_CAUTION),
}

# Added to the community's card when its site has a contact line.
COMMUNITY_CONTACT = _("Talk to us: {contact}")

OPTION_LABELS = dict(ins.COPING_OPTIONS)


# --- "About the questions" ---

# How we use each source's questions, in plain words (keys of instruments.SOURCES).
SOURCE_USE = {
    "nhis": _("We ask how often you had pain, how often it got in the way of your life or "
    "work, and how often you get the support you need. Pain on most days or every day "
    "counts as chronic pain in this survey."),
    "nih": _("We ask how long your pain has lasted. NIH calls pain that lasts 3 months or "
    "more chronic pain. We also list NIH's ten ways to ease long-lasting pain without "
    "opioids."),
    "peg": _("Three questions about the past week, each from 0 to 10. Your pain score is "
    "the average of the three. A change of about 1 point can matter."),
    "ucla3": _("Three questions about feeling alone. We add the answers up to a score from "
    "3 to 9. A higher number means you feel alone more often."),
    "ons": _("One direct question about how often you feel lonely."),
    "ours": _("We wrote these questions for this check-in. They are not a tested scale. We "
    "report the answers just as they were given."),
}


@dataclass(frozen=True)
class AboutQuestion:
    text: str  # the exact wording
    options: tuple[str, ...] = ()  # the rows of a grid question (the ten options)


@dataclass(frozen=True)
class AboutSource:
    key: str
    name: str
    year: int
    citation: str
    use: str
    questions: tuple[AboutQuestion, ...]


# Where the medicine safety notes come from: cited on "About the questions" beside
# the instruments' sources, with no questions of their own.
MEDICINE_SOURCES: tuple[AboutSource, ...] = (
    AboutSource(
        "fda",
        _("U.S. Food and Drug Administration (FDA)"),
        2023,
        _("FDA: approval of naloxone nasal spray for sale without a prescription (2023); "
        "safety warning on taking opioids with benzodiazepines or other drugs that slow "
        "breathing (2016); advice on acetaminophen and liver harm, and on disposing of "
        "unused medicines."),
        _("We use the FDA's advice for the notes on naloxone, on not mixing opioids with "
        "alcohol or sleep aids, on how much pain reliever to take, and on keeping medicines safe."),
        (),
    ),
    AboutSource(
        "samhsa",
        _("Substance Abuse and Mental Health Services Administration (SAMHSA)"),
        2023,
        _("SAMHSA: Overdose Prevention and Response Toolkit (2023); information on "
        "medications for opioid use disorder."),
        _("We use SAMHSA's advice for the notes on naloxone, on the signs of an overdose, and "
        "on buprenorphine, methadone and naltrexone."),
        (),
    ),
    AboutSource(
        "cdc",
        _("Centers for Disease Control and Prevention (CDC)"),
        2024,
        _("CDC: Lifesaving Naloxone; Preventing Opioid Overdose, including how to spot an overdose."),
        _("We use the CDC's advice for the notes on the signs of an overdose and on carrying naloxone."),
        (),
    ),
)


def about_sources() -> tuple[AboutSource, ...]:
    """Return each instrument's source with the exact questions it gave us, then the
    sources of the medicine safety notes.

    Sources come in the order of their first question; our own questions come last.
    """
    order: list[str] = []
    for question in ins.QUESTIONS:
        if question.source not in order:
            order.append(question.source)
    order.sort(key=lambda key: key == "ours")
    sources = []
    for key in order:
        source = ins.SOURCES[key]
        questions = tuple(
            AboutQuestion(q.text, tuple(label for _, label in q.rows))
            for q in ins.QUESTIONS
            if q.source == key
        )
        sources.append(
            AboutSource(key, source.name, source.year, source.citation, SOURCE_USE.get(key, ""), questions)
        )
    return tuple(sources) + MEDICINE_SOURCES


# --- The questions in Spanish: where each Spanish wording comes from ---

# How the Spanish page words an instrument's questions (``SpanishSource.status``).
VERSION_NOT_CHECKED = "version_not_checked"  # a Spanish version exists; its exact words not checked yet
NO_VERSION_FOUND = "no_version_found"  # no validated Spanish version found: our close, plain translation
OURS_IN_SPANISH = "ours_in_spanish"  # our own questions, written in Spanish by us
# What the About page says for each status, in a few words.
SPANISH_STATUS_LABELS = {
    VERSION_NOT_CHECKED: _("A Spanish version exists; its exact words are not checked yet"),
    NO_VERSION_FOUND: _("We found no tested Spanish version"),
    OURS_IN_SPANISH: _("Our own questions, written in Spanish"),
}


@dataclass(frozen=True)
class SpanishSource:
    key: str  # a key of instruments.SOURCES
    status: str  # one of the four above
    spanish_source: str  # the Spanish version we know of, cited as published ("" when none)
    note: str  # what the Spanish check-in uses, in plain words

    @property
    def name(self) -> str:
        """Return the instrument's name, as the About page names it."""
        return ins.SOURCES[self.key].name

    @property
    def status_label(self) -> str:
        """Return the status in a few words (``SPANISH_STATUS_LABELS``)."""
        return SPANISH_STATUS_LABELS[self.status]


# For the "About the questions" page (``rules.about_context()["spanish_sources"]``).
# Honest about what was checked: a validated Spanish version is named only where
# it is known to exist, and none of their exact words could be read against the
# publication here, so every status says so (change it once someone has).
SPANISH_SOURCES: tuple[SpanishSource, ...] = (
    SpanishSource(
        "nhis",
        VERSION_NOT_CHECKED,
        "National Center for Health Statistics. National Health Interview Survey, "
        "Spanish-language questionnaire (the survey is also fielded in Spanish).",
        _("The survey is also asked in Spanish, and the CDC publishes its Spanish "
          "questions. We could not check their exact words yet, so we wrote a close, "
          "plain translation with the same answers."),
    ),
    SpanishSource(
        "nih",
        NO_VERSION_FOUND,
        "",
        _("This is not a scale, and we found no validated Spanish version. We wrote a "
          "close, plain translation."),
    ),
    SpanishSource(
        "peg",
        VERSION_NOT_CHECKED,
        "PEG-S: a Spanish version of the PEG, tested with 200 Spanish-speaking adults in "
        "primary care in the United States (PubMed Central PMC11580754).",
        _("A tested Spanish version exists. We could not check its exact words yet, so we "
          "wrote a close, plain translation with the same 0 to 10 scale."),
    ),
    SpanishSource(
        "ucla3",
        VERSION_NOT_CHECKED,
        "Trucharte A, Calderón L, Cerezo E, Contreras A, Peinado V, Valiente C. "
        "Three-item loneliness scale: psychometric properties and normative data of the "
        "Spanish version. Current Psychology. 2021. doi:10.1007/s12144-021-02110-x",
        _("We use the words of the Spanish version as other Spanish surveys use them. We "
          "could not check them against the paper itself."),
    ),
    SpanishSource(
        "ons",
        NO_VERSION_FOUND,
        "",
        _("This question is from the United Kingdom, and we found no Spanish version. We "
          "wrote a close, plain translation."),
    ),
    SpanishSource(
        "ours",
        OURS_IN_SPANISH,
        "",
        _("We wrote these questions ourselves, in English and in Spanish."),
    ),
)


ABOUT_INTRO = (
    _("The check-in uses questions from trusted surveys and studies, with their exact "
    "words. Here is where each one comes from and how we use it.")
)
ABOUT_ARTICLE = format_lazy(
    _("The results page sums up ideas from a blog post by Pinnacle Treatment Centers. "
      'Its title is "{article_title}." The post looks at a paper by Dr. Mark Sullivan '
      "and Dr. Jane Ballantyne. The paper ran in the Annals of Family Medicine, with the "
      'title "{paper_title}." We put their ideas in our own words.'),
    article_title=ARTICLE_TITLE,
    paper_title=PAPER_TITLE,
)

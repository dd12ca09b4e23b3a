"""The results rules: persona table, one test per rule, purity and the opioid safety line."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings, strategies as st

from questionnaire import content, instruments as ins, rules, scoring

from .conftest import examples

OPTIONS = [option for option, _ in ins.COPING_OPTIONS]
SITE = {"name": "Riverside Recovery", "contact": "Call Sam at 555-0101."}


def coping(state=None, **states):
    """Return coping answers: every option in ``state``, except those named."""
    out = {ins.coping_field(option): state for option in OPTIONS if state}
    out.update({ins.coping_field(option): value for option, value in states.items()})
    return out


# Connected, sleeping well, not stressed, no crisis: each persona changes what it is about.
CALM = {
    "ucla_companionship": "hardly_ever",
    "ucla_left_out": "hardly_ever",
    "ucla_isolated": "hardly_ever",
    "lonely": "never",
    "rejected": "never",
    "pain_avoidance": "not_at_all",
    "support": "always",
    "sleep": "well",
    "stress": "a_little",
    "safety": "no",
}
CHRONIC = {"pain_frequency": "every_day", "pain_duration": "3_months_plus", "pain_impact": "most_days"}

# name -> (answers, site)
PERSONAS = {
    "no_pain": (
        {**CALM, "pain_frequency": "never", "pain_impact": "never", "medicines": ["none"],
         "peg_pain": 0, "peg_enjoyment": 0, "peg_activity": 0},
        None,
    ),
    "pain_under_3_months": (
        {**CALM, "pain_frequency": "some_days", "pain_duration": "under_3_months", "pain_impact": "some_days",
         "pain_areas": ["joints_muscles"], "medicines": ["otc"], "peg_pain": 3, "peg_enjoyment": 2,
         "peg_activity": 2, "sleep": "fairly_well", "stress": "somewhat"},
        None,
    ),
    "chronic_back_lonely": (
        {**CALM, **CHRONIC, "pain_areas": ["back_neck"], "medicines": ["otc"],
         "peg_pain": 6, "peg_enjoyment": 7, "peg_activity": 6,
         "ucla_companionship": "often", "ucla_left_out": "often", "ucla_isolated": "often",
         "lonely": "often_always", "rejected": "sometimes", "pain_avoidance": "a_lot", "support": "sometimes",
         "sleep": "fairly_well", "stress": "somewhat"},
        None,
    ),
    "long_term_opioid_lonely": (
        {**CALM, "pain_frequency": "most_days", "pain_duration": "3_months_plus", "pain_impact": "some_days",
         "pain_areas": ["joints_muscles"], "medicines": ["rx_opioid"], "opioid_duration": "3_months_plus",
         "ucla_companionship": "some_of_the_time", "ucla_left_out": "some_of_the_time",
         "ucla_isolated": "some_of_the_time", "lonely": "some_of_the_time", "pain_avoidance": "a_little",
         "support": "usually"},
        None,
    ),
    "chronic_migraine": (
        {**CALM, **CHRONIC, "pain_areas": ["head"], "medicines": ["rx_nonopioid"],
         "peg_pain": 5, "peg_enjoyment": 5, "peg_activity": 5, "sleep": "fairly_well"},
        None,
    ),
    "widespread_pain": (
        {**CALM, "pain_frequency": "most_days", "pain_duration": "3_months_plus", "pain_impact": "some_days",
         "pain_areas": ["widespread"], "medicines": ["otc"], "sleep": "poorly"},
        None,
    ),
    "nerve_pain": (
        {**CALM, "pain_frequency": "some_days", "pain_duration": "3_months_plus", "pain_impact": "never",
         "pain_areas": ["nerve"], "medicines": ["rx_nonopioid"]},
        None,
    ),
    "high_peg_poor_sleep": (
        {**CALM, **CHRONIC, "pain_impact": "every_day", "pain_areas": ["back_neck", "joints_muscles"],
         "medicines": ["otc", "rx_nonopioid"], "peg_pain": 9, "peg_enjoyment": 8, "peg_activity": 9,
         "sleep": "poorly", "stress": "somewhat"},
        None,
    ),
    "high_stress": (
        {**CALM, "pain_frequency": "some_days", "pain_duration": "not_sure", "pain_impact": "some_days",
         "pain_areas": ["other"], "stress": "very"},
        None,
    ),
    "prefer_not_everywhere": (
        {q.code: ins.PREFER_NOT for q in ins.QUESTIONS if q.prefer_not and q.kind == ins.SINGLE}
        | {"medicines": [ins.PREFER_NOT]},
        None,
    ),
    "nothing_answered": ({}, None),
    "using_every_option": (
        {**CALM, **CHRONIC, "pain_areas": ["back_neck", "head"], "sleep": "poorly", "stress": "very",
         **coping("using_now")},
        None,
    ),
    "nothing_for_me": (
        {**CALM, **CHRONIC, "pain_areas": ["back_neck", "head"], "sleep": "poorly", "stress": "very",
         **coping("not_for_me")},
        None,
    ),
    "crisis_then_continued": (
        {**CALM, "pain_frequency": "most_days", "pain_duration": "3_months_plus", "pain_impact": "some_days",
         "safety": "yes"},
        None,
    ),
    "community_link": (
        {**CALM, "pain_frequency": "some_days", "pain_duration": "under_3_months", "pain_impact": "never",
         "lonely": "occasionally"},
        SITE,
    ),
    "lonely_low_support_on_opioid": (
        {**CALM, "pain_frequency": "some_days", "pain_duration": "not_sure", "lonely": "often_always",
         "support": "never", "medicines": ["rx_opioid"], "opioid_duration": "3_months_plus"},
        SITE,
    ),
    "on_moud_with_pain_reliever": (
        {**CALM, "pain_frequency": "some_days", "pain_duration": "not_sure", "medicines": ["otc", "moud"]},
        None,
    ),
    "wants_to_learn": (
        {**CALM, "pain_frequency": "some_days", "pain_duration": "under_3_months",
         **coping(botox="learn_more", cbt="learn_more", mindfulness="tried_before", exercise="learn_more",
                  acupuncture="not_for_me")},
        None,
    ),
}

# name -> the exact item ids per lane, in order ("questions": the questions to bring).
# Lanes are ranked by fit (the weights of the rules that fired), then priority.
EXPECTED = {
    "no_pain": {
        # nothing fits: starting points, 988 first
        "medicine_safety": [],
        "try_now": [],  # "a little stressed": no mindfulness
        "ask_clinician": [],
        "connect": ["connect_988", "connect_trusted_person"],
        "understand": ["understand_pain_kinds"],
        "questions": [],
    },
    "pain_under_3_months": {
        "medicine_safety": ["safe_dose"],
        "try_now": ["try_gentle_exercise", "try_sleep_habits", "try_mindfulness", "try_anti_inflammatory_eating"],
        "ask_clinician": [],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": [],
    },
    "chronic_back_lonely": {
        "medicine_safety": ["safe_dose"],
        "try_now": ["try_gentle_exercise", "try_mindfulness", "try_sleep_habits"],
        "ask_clinician": ["ask_chiropractic", "ask_physical_therapy", "ask_cbt", "ask_acupuncture",
                          "ask_pain_relievers"],
        "connect": ["connect_peer_support", "connect_trusted_person"],
        "understand": ["understand_cycle", "understand_pain_kinds", "understand_opioid_system",
                       "understand_brain_body"],
        "questions": ["q_pain_score", "q_daily_life", "q_stress_alone"],
    },
    "long_term_opioid_lonely": {
        "medicine_safety": ["safe_naloxone", "safe_overdose_signs", "safe_mixing_storage", "safe_dose"],
        "try_now": ["try_gentle_exercise", "try_mindfulness", "try_anti_inflammatory_eating"],
        "ask_clinician": ["ask_cbt", "ask_physical_therapy", "ask_acupuncture", "ask_chiropractic",
                          "ask_antidepressants", "ask_pain_relievers"],
        "connect": ["connect_peer_support", "connect_trusted_person"],
        "understand": ["understand_cycle", "understand_long_term_opioid", "understand_pain_kinds",
                       "understand_opioid_system", "understand_brain_body"],
        "questions": ["q_opioid_mood", "q_opioid_plan", "q_stress_alone"],
    },
    "chronic_migraine": {
        # head: acupuncture (and Botox) ahead of chiropractic care; sleep "fairly well" still fits
        "medicine_safety": ["safe_dose"],
        "try_now": ["try_gentle_exercise", "try_sleep_habits"],
        "ask_clinician": ["ask_acupuncture", "ask_botox", "ask_physical_therapy", "ask_chiropractic",
                          "ask_antidepressants", "ask_cbt", "ask_pain_relievers"],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": ["q_pain_score", "q_daily_life"],
    },
    "widespread_pain": {
        "medicine_safety": ["safe_dose"],
        "try_now": ["try_sleep_habits", "try_gentle_exercise", "try_anti_inflammatory_eating"],
        "ask_clinician": ["ask_antidepressants", "ask_cbt", "ask_acupuncture", "ask_pain_relievers"],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": ["q_sleep"],
    },
    "nerve_pain": {
        "medicine_safety": ["safe_dose"],
        "try_now": [],
        "ask_clinician": ["ask_antidepressants", "ask_cbt", "ask_acupuncture", "ask_pain_relievers"],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": [],
    },
    "high_peg_poor_sleep": {
        "medicine_safety": ["safe_dose"],
        "try_now": ["try_gentle_exercise", "try_sleep_habits", "try_mindfulness", "try_anti_inflammatory_eating"],
        "ask_clinician": ["ask_physical_therapy", "ask_pain_plan", "ask_chiropractic", "ask_acupuncture",
                          "ask_antidepressants", "ask_cbt", "ask_pain_relievers"],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": ["q_pain_score", "q_daily_life", "q_sleep"],
    },
    "high_stress": {
        "medicine_safety": [],
        "try_now": ["try_mindfulness"],
        "ask_clinician": ["ask_cbt"],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": ["q_stress_alone"],
    },
    "prefer_not_everywhere": {
        # "Prefer not to say" to the safety question: the gentle 988 card
        "medicine_safety": [],
        "try_now": [],
        "ask_clinician": [],
        "connect": ["connect_988"],
        "understand": [],
        "questions": [],
    },
    "nothing_answered": {
        # every question skipped: starting points, 988 first
        "medicine_safety": [],
        "try_now": ["try_mindfulness"],
        "ask_clinician": [],
        "connect": ["connect_988", "connect_trusted_person"],
        "understand": ["understand_pain_kinds"],
        "questions": [],
    },
    "using_every_option": {
        # everything acknowledged; the clinician plan is the one suggestion
        "medicine_safety": ["safe_dose"],
        "try_now": ["try_sleep_habits", "try_mindfulness", "try_gentle_exercise", "try_anti_inflammatory_eating"],
        "ask_clinician": ["ask_pain_plan", "ask_botox", "ask_antidepressants", "ask_chiropractic", "ask_cbt",
                          "ask_acupuncture", "ask_pain_relievers"],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": ["q_daily_life", "q_sleep", "q_stress_alone"],
    },
    "nothing_for_me": {
        "medicine_safety": [],
        "try_now": [],
        "ask_clinician": [],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": ["q_daily_life", "q_sleep", "q_stress_alone"],
    },
    "crisis_then_continued": {
        "medicine_safety": [],
        "try_now": [],
        "ask_clinician": ["ask_cbt", "ask_acupuncture", "ask_pain_relievers"],
        "connect": ["connect_988", "connect_trusted_person"],
        "understand": ["understand_brain_body"],
        "questions": [],
    },
    "community_link": {
        "medicine_safety": [],
        "try_now": [],
        "ask_clinician": [],
        "connect": ["connect_community"],
        "understand": ["understand_brain_body"],
        "questions": [],
    },
    "lonely_low_support_on_opioid": {
        "medicine_safety": ["safe_naloxone", "safe_overdose_signs", "safe_mixing_storage", "safe_dose"],
        "try_now": [],
        "ask_clinician": [],
        "connect": ["connect_trusted_person", "connect_988", "connect_community", "connect_peer_support"],
        "understand": ["understand_long_term_opioid", "understand_opioid_system", "understand_brain_body"],
        "questions": ["q_opioid_mood", "q_opioid_plan"],
    },
    "on_moud_with_pain_reliever": {
        "medicine_safety": ["safe_naloxone", "safe_moud", "safe_overdose_signs", "safe_mixing_storage", "safe_dose"],
        "try_now": [],
        "ask_clinician": [],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": [],
    },
    "wants_to_learn": {
        # mindfulness "tried before" with no answer asking for it: not shown
        "medicine_safety": [],
        "try_now": ["try_gentle_exercise"],
        "ask_clinician": ["ask_botox", "ask_cbt", "ask_physical_therapy"],
        "connect": [],
        "understand": ["understand_brain_body"],
        "questions": [],
    },
}


def results_for(name):
    answers, site = PERSONAS[name]
    return rules.evaluate(answers, scoring.score(answers), site=site)


def lanes_of(results):
    out = {key: [] for key in content.LANE_KEYS}  # an optional lane with nothing in it is left off the page
    out.update({lane.key: [item.id for item in lane.items] for lane in results.lanes})
    out["questions"] = [item.id for item in results.lane(content.ASK_CLINICIAN).questions]
    return out


def test_there_are_at_least_15_personas_each_with_expectations():
    assert len(PERSONAS) >= 15
    assert set(PERSONAS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_persona_sees_exactly_the_expected_items_in_order(name):
    assert lanes_of(results_for(name)) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_every_shown_item_says_why_in_full_sentences(name):
    results = results_for(name)
    for lane in results.lanes:
        for item in lane.items + lane.questions:
            assert item.reasons, item.id
            for reason in item.reasons:
                assert reason[:1].isupper() and reason.endswith((".", ":", "!")), reason
                assert "{" not in reason and "}" not in reason, reason


def test_results_follow_the_lane_order_and_carry_the_content_version():
    results = results_for("chronic_back_lonely")
    # Things to do first, medicine safety for someone who takes a pain reliever right
    # after; the article's ideas last, so something to try is near the top.
    assert [lane.key for lane in results.lanes] == ["try_now", "medicine_safety", "ask_clinician", "connect",
                                                    "understand"]
    assert results.content_version == rules.CONTENT_VERSION
    # With no medicine to be careful with, the medicine safety lane is left off.
    assert [lane.key for lane in results_for("high_stress").lanes] == ["try_now", "ask_clinician", "connect",
                                                                       "understand"]


def test_options_in_use_are_acknowledged_not_pushed():
    results = results_for("using_every_option")
    options = [item for key in ("try_now", "ask_clinician") for item in results.lane(key).items
               if item.kind == content.OPTION]
    assert len(options) == 10 and all(item.status == rules.USING_NOW for item in options)
    sleep = results.lane("try_now").items[0]
    assert sleep.reasons == ('You said you use "good sleep habits" now: keep going.',)
    assert sleep.body == content.KEEP_GOING["try_now"]


def test_options_in_use_come_after_the_suggestions():
    answers = {**PERSONAS["high_peg_poor_sleep"][0], **coping(sleep_hygiene="using_now")}
    items = rules.evaluate(answers, scoring.score(answers)).lane("try_now").items
    assert [item.id for item in items] == [
        "try_gentle_exercise", "try_mindfulness", "try_anti_inflammatory_eating", "try_sleep_habits",
    ]
    assert [item.fit for item in items] == [6, 1, 1, 0]
    assert items[-1].status == rules.USING_NOW


def test_options_not_for_me_are_listed_at_the_end_and_never_suggested():
    results = results_for("nothing_for_me")
    assert results.not_for_you == tuple(label for _, label in ins.COPING_OPTIONS)
    shown = rules.shown_item_ids(results)
    assert not [item for item in content.ITEMS if item.option and item.id in shown]


def test_tried_before_is_mentioned():
    answers = {**PERSONAS["high_stress"][0], **coping(mindfulness="tried_before")}
    mindfulness = rules.evaluate(answers, scoring.score(answers)).lane("try_now").items[0]
    assert mindfulness.id == "try_mindfulness"
    assert mindfulness.reasons[-1] == 'You said you tried "mindfulness, meditation, yoga or tai chi" before.'


def test_tried_before_alone_brings_nothing():
    # "Tried before" is not an answer that asks for the option again.
    assert "try_mindfulness" not in results_for("wants_to_learn").shown


def test_poor_sleep_and_high_stress_lead_try_now():
    assert results_for("widespread_pain").lane("try_now").items[0].id == "try_sleep_habits"
    assert results_for("high_stress").lane("try_now").items[0].id == "try_mindfulness"


def test_community_item_names_the_site_and_its_contact_line():
    item = results_for("community_link").lane("connect").items[0]
    assert item.title == "Your community: Riverside Recovery"
    assert item.short.endswith("Talk to us: Call Sam at 555-0101.")
    assert item.reasons == ("You came to this check-in through the link from Riverside Recovery.",)


class SiteObject:
    name = "Hilltop Peers"
    contact = ""


def test_site_may_be_an_object_and_contact_may_be_empty():
    answers = PERSONAS["community_link"][0]
    item = rules.evaluate(answers, scoring.score(answers), site=SiteObject()).lane("connect").items[0]
    assert item.title == "Your community: Hilltop Peers"
    assert "Talk to us" not in item.short and "Talk to us" not in item.body


def test_crisis_yes_puts_988_first_with_links():
    item = results_for("crisis_then_continued").lane("connect").items[0]
    assert item.id == "connect_988"
    assert ("Call 988", "tel:988") in item.links and ("Text 988", "sms:988") in item.links
    assert content.CHAT_988 in item.links and content.CHAT_988[1] == "https://988lifeline.org/chat"


def test_reasons_quote_the_persons_answers():
    results = results_for("long_term_opioid_lonely")
    question = results.lane("ask_clinician").questions[0]
    assert question.title == "Could my pain medicine be affecting my mood or how connected I feel?"
    assert question.reasons == (
        'You said you take a prescribed opioid, for "3 months or more" so far.',
        "Your three answers about feeling alone add up to 6 (3 is the lowest, 9 the highest).",
    )


# --- The table itself ---


def test_ids_are_unique_short_and_known():
    assert len(set(rules.ITEM_IDS)) == len(rules.ITEM_IDS)
    assert all(len(item_id) <= 40 for item_id in rules.ITEM_IDS)
    assert len(rules.RULE_BY_ID) == len(rules.RULES) + len(rules.STARTING_POINTS)
    for rule in rules.RULES + rules.STARTING_POINTS:
        assert rule.item in rules.ITEM_IDS
        assert rule.lane == content.ITEM_BY_ID[rule.item].lane
        assert rule.lane in content.LANE_KEYS
        assert callable(rule.condition) and rule.condition.__name__ != "<lambda>"


def test_every_item_can_be_shown_by_some_rule():
    assert {rule.item for rule in rules.RULES} == set(rules.ITEM_IDS)


def test_shown_item_ids_lists_items_in_page_order():
    results = results_for("long_term_opioid_lonely")
    expected = EXPECTED["long_term_opioid_lonely"]
    assert rules.shown_item_ids(results) == (
        expected["try_now"] + expected["medicine_safety"] + expected["ask_clinician"] + expected["questions"]
        + expected["connect"] + expected["understand"]
    )


# --- Each rule fires when its condition holds, and not otherwise ---

# condition name -> (answers that make it true, answers that make it false). The
# false answers are near misses: they share as much as they can with the true ones.
LASTING = {"pain_frequency": "some_days", "pain_duration": "3_months_plus"}
LONELY_6 = {"ucla_companionship": "some_of_the_time", "ucla_left_out": "some_of_the_time",
            "ucla_isolated": "some_of_the_time"}
LONELY_5 = {**LONELY_6, "ucla_isolated": "hardly_ever"}
LTO = {"medicines": ["rx_opioid"], "opioid_duration": "3_months_plus"}
CONDITION_EXAMPLES = {
    "always": ({}, None),  # needs a site: false without one
    "any_pain": ({"pain_frequency": "some_days"}, {"pain_frequency": "never"}),
    "frequent_pain": ({"pain_frequency": "most_days"}, {"pain_frequency": "some_days"}),
    "lasting_pain": (LASTING, {**LASTING, "pain_duration": "not_sure"}),
    "limits_life_often": ({"pain_frequency": "every_day", "pain_impact": "every_day"},
                          {"pain_frequency": "every_day", "pain_impact": "some_days"}),
    "pain_score_4_plus": ({"peg_pain": 4, "peg_enjoyment": 4, "peg_activity": 4},
                          {"peg_pain": 4, "peg_enjoyment": 4, "peg_activity": 3}),
    "lonely_score_6_plus": (LONELY_6, LONELY_5),
    "lonely_often": ({"lonely": "often_always"}, {"lonely": "some_of_the_time"}),
    "lonely_at_times": ({"lonely": "some_of_the_time"}, {"lonely": "occasionally"}),
    "felt_rejected": ({"rejected": "sometimes"}, {"rejected": "never"}),
    "avoids_people": ({"pain_avoidance": "a_little"}, {"pain_avoidance": "not_at_all"}),
    "support_not_always": ({"support": "sometimes"}, {"support": "usually"}),
    "takes_opioid": ({"medicines": ["otc", "rx_opioid"]}, {"medicines": ["rx_opioid", ins.PREFER_NOT]}),
    "long_term_opioid": (LTO, {**LTO, "opioid_duration": "under_3_months"}),
    "sleeps_poorly": ({"sleep": "poorly"}, {"sleep": "fairly_well"}),
    "sleeps_fairly_well": ({"sleep": "fairly_well"}, {"sleep": "well"}),
    "very_stressed": ({"stress": "very"}, {"stress": "somewhat"}),
    "somewhat_stressed": ({"stress": "somewhat"}, {"stress": "a_little"}),
    "said_yes_to_safety": ({"safety": "yes"}, {"safety": ins.PREFER_NOT}),
    "lasting_pain_and_lonely_score": ({**LASTING, **LONELY_6}, {**LASTING, **LONELY_5}),
    "lasting_pain_and_avoids_people": ({**LASTING, "pain_avoidance": "a_lot"},
                                       {"pain_frequency": "some_days", "pain_duration": "under_3_months",
                                        "pain_avoidance": "a_lot"}),
    "frequent_pain_and_lonely": ({"pain_frequency": "every_day", "lonely": "often_always"},
                                 {"pain_frequency": "every_day", "lonely": "hardly_ever"}),
    "pain_and_lonely_score": ({"pain_frequency": "some_days", **LONELY_6},
                              {"pain_frequency": "never", **LONELY_6}),
    "pain_and_very_stressed": ({"pain_frequency": "some_days", "stress": "very"},
                               {"pain_frequency": "never", "stress": "very"}),
    "head_pain_often": ({"pain_frequency": "most_days", "pain_areas": ["head"]},
                        {"pain_frequency": "some_days", "pain_areas": ["head"]}),
    "long_term_opioid_and_lonely_score": ({**LTO, **LONELY_6}, {**LTO, **LONELY_5}),
    "long_term_opioid_and_lonely_often": ({**LTO, "lonely": "often_always"},
                                          {**LTO, "opioid_duration": ins.PREFER_NOT, "lonely": "often_always"}),
    "lonely_score_and_low_support": ({**LONELY_6, "support": "rarely"}, {**LONELY_6, "support": "sometimes"}),
    "lonely_often_and_low_support": ({"lonely": "often_always", "support": "never"},
                                     {"lonely": "often_always", "support": ins.PREFER_NOT}),
    "support_low": ({"support": "rarely"}, {"support": "sometimes"}),
    "takes_opioid_medicine": ({"medicines": ["moud"]}, {"medicines": ["rx_nonopioid", "otc"]}),
    "takes_moud": ({"medicines": ["otc", "moud"]}, {"medicines": ["rx_opioid", "rx_nonopioid"]}),
    "takes_otc_reliever": ({"medicines": ["otc"]}, {"medicines": ["none"]}),
    "takes_rx_nonopioid": ({"medicines": ["rx_nonopioid"]}, {"medicines": ["moud"]}),
    "uses_pain_relievers_now": ({ins.coping_field("pain_relievers"): "using_now"},
                                {ins.coping_field("pain_relievers"): "tried_before"}),
    "severe_pain_score": ({"peg_pain": 7, "peg_enjoyment": 7, "peg_activity": 7},
                          {"peg_pain": 7, "peg_enjoyment": 7, "peg_activity": 6}),
    "pain_with_every_option_in_use": ({**LASTING, **coping("using_now")},
                                      {**LASTING, **coping("using_now", cbt="tried_before")}),
    "safety_prefer_not": ({"safety": ins.PREFER_NOT}, {"safety": "no"}),
}


def condition_example(name):
    """Return (true answers, false answers) for a condition, including the made-up families."""
    if name in CONDITION_EXAMPLES:
        return CONDITION_EXAMPLES[name]
    for prefix in ("ongoing_pain_in_", "pain_in_"):
        if name.startswith(prefix):
            area = name.removeprefix(prefix)
            other = "other" if area != "other" else "nerve"
            return ({**LASTING, "pain_areas": [area]}, {**LASTING, "pain_areas": [other]})
    if name.startswith("wants_to_learn_"):
        field = ins.coping_field(name.removeprefix("wants_to_learn_"))
        return ({field: "learn_more"}, {field: "tried_before"})
    raise KeyError(f"No example answers for the condition {name!r}: add one to CONDITION_EXAMPLES.")


def fired_rule_ids(answers, site=None):
    results = rules.evaluate(answers, scoring.score(answers), site=site)
    return {rule_id for lane in results.lanes for item in lane.items + lane.questions for rule_id in item.rules}


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda rule: rule.id)
def test_rule_fires_when_its_condition_holds(rule):
    true_answers, _ = condition_example(rule.condition.__name__)
    assert rule.condition(true_answers, scoring.score(true_answers))
    assert rule.id in fired_rule_ids(true_answers, SITE if rule.needs_site else None)


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda rule: rule.id)
def test_rule_does_not_fire_otherwise(rule):
    true_answers, false_answers = condition_example(rule.condition.__name__)
    if rule.needs_site:
        assert rule.id not in fired_rule_ids(true_answers, None)
        return
    assert not rule.condition(false_answers, scoring.score(false_answers))
    assert rule.id not in fired_rule_ids(false_answers, SITE)


def test_area_rules_for_clinician_options_wait_for_ongoing_pain():
    answers = {"pain_frequency": "some_days", "pain_duration": "under_3_months", "pain_areas": ["back_neck"]}
    assert not {rule_id for rule_id in fired_rule_ids(answers) if rule_id.startswith("ask_")}


# --- Pure and deterministic; the opioid safety line ---

SINGLE_VALUES = {q.code: st.sampled_from((None,) + q.values) for q in ins.QUESTIONS if q.kind == ins.SINGLE}
SCALE_VALUES = {q.code: st.one_of(st.none(), st.integers(0, 10)) for q in ins.QUESTIONS if q.kind == ins.SCALE}
MULTI_VALUES = {
    q.code: st.lists(st.sampled_from(q.values), unique=True, max_size=3) for q in ins.QUESTIONS if q.kind == ins.MULTI
}
COPING_VALUES = {
    ins.coping_field(option): st.sampled_from((None,) + tuple(v for v, _ in ins.COPING_STATES)) for option in OPTIONS
}
ANSWERS = st.fixed_dictionaries({}, optional={**SINGLE_VALUES, **SCALE_VALUES, **MULTI_VALUES, **COPING_VALUES})


@settings(max_examples=examples(300), deadline=None)
@given(answers=ANSWERS, with_site=st.booleans())
def test_evaluate_is_pure_and_deterministic(answers, with_site):
    site = SITE if with_site else None
    before = copy.deepcopy(answers)
    first = rules.evaluate(answers, scoring.score(answers), site=site)
    second = rules.evaluate(copy.deepcopy(answers), scoring.score(answers), site=dict(site) if site else None)
    assert first == second
    assert answers == before
    shown = rules.shown_item_ids(first)
    assert len(shown) == len(set(shown)) and set(shown) <= set(rules.ITEM_IDS)
    for item in (item for lane in first.lanes for item in lane.items + lane.questions):
        assert item.reasons
        text = content.ITEM_BY_ID[item.id]
        if text.option:
            assert answers.get(ins.coping_field(text.option)) != "not_for_me"


@settings(max_examples=examples(200), deadline=None)
@given(answers=ANSWERS)
def test_long_term_opioid_answers_always_bring_the_opioid_section_and_never_stop_line(answers):
    answers = {**answers, **LTO}
    results = rules.evaluate(answers, scoring.score(answers))
    understand = {item.id: item for item in results.lane("understand").items}
    assert str(content.NEVER_STOP) in understand["understand_long_term_opioid"].body


@pytest.mark.parametrize("item", [item for item in content.ITEMS if "opioid" in item.id and item.kind == content.SECTION],
                         ids=lambda item: item.id)
def test_every_opioid_section_carries_the_never_stop_line(item):
    assert content.NEVER_STOP == "Never stop or change an opioid dose on your own. Talk with your prescriber."
    assert str(content.NEVER_STOP) in item.body


def test_understand_sections_are_80_to_150_words_and_credit_the_article():
    for item in content.ITEMS:
        if item.kind == content.SECTION:
            assert 80 <= len(item.body.split()) <= 150, (item.id, len(item.body.split()))
            assert "Pinnacle Treatment Centers" in item.source and "Sullivan and Ballantyne" in item.source
            assert "Annals of Family Medicine" in item.source


def test_about_context_lists_every_source_with_its_exact_questions():
    context = rules.about_context()
    by_key = {source.key: source for source in context["sources"]}
    assert set(by_key) == set(ins.SOURCES) | {"fda", "samhsa", "cdc"}
    for key in ("fda", "samhsa", "cdc"):  # the medicine safety notes' sources: cited, with no questions
        assert by_key[key].citation and by_key[key].use and by_key[key].questions == ()
    assert by_key["peg"].year == 2009 and "Krebs" in by_key["peg"].citation
    assert by_key["ucla3"].year == 2004 and "Hughes" in by_key["ucla3"].citation
    texts = [question.text for source in context["sources"] for question in source.questions]
    assert texts == [question.text for question in sorted(ins.QUESTIONS, key=lambda q: list(by_key).index(q.source))]
    assert "Pinnacle Treatment Centers" in context["article"] and "Sullivan" in context["article"]
    assert context["content_version"] == rules.CONTENT_VERSION


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_every_shown_item_has_a_short_text_unless_it_is_a_question(name):
    results = results_for(name)
    for lane in results.lanes:
        for item in lane.items:
            assert item.short and "{" not in item.short, item.id
            assert len(item.short) <= 170, (item.id, len(item.short))  # two sentences, or three with the dose warning


def test_next_steps_are_the_best_fitting_open_cards():
    results = results_for("chronic_back_lonely")
    steps = rules.next_steps(results)
    assert [(s.item_id, s.fit) for s in steps] == [
        ("connect_peer_support", 5), ("try_gentle_exercise", 4), ("connect_trusted_person", 3),
    ]
    assert [s.fit for s in steps] == sorted((s.fit for s in steps), reverse=True)
    shown = set(results.shown)
    assert all(step.item_id in shown for step in steps)
    assert len({step.item_id for step in steps}) == len(steps)


def test_next_steps_skip_options_in_use_and_the_988_card_when_help_is_shown_first():
    results = results_for("crisis_then_continued")
    assert results.lane("connect").items[0].id == "connect_988"
    assert "connect_988" in [s.item_id for s in rules.next_steps(results)]
    assert "connect_988" not in [s.item_id for s in rules.next_steps(results, help_shown=True)]
    using = results_for("using_every_option")
    acknowledged = {item.id for lane in using.lanes for item in lane.items if item.status == rules.USING_NOW}
    assert acknowledged and not acknowledged & {s.item_id for s in rules.next_steps(using)}


def test_help_comes_first_only_after_a_yes_to_the_safety_question():
    assert rules.help_first({"safety": "yes"})
    for value in ("no", "prefer_not", None, "", ["yes"]):
        assert not rules.help_first({"safety": value})


def test_the_source_is_credited_once_when_an_article_idea_is_shown():
    results = results_for("high_stress")
    assert results.lane("understand").items and results.credit == content.ARTICLE_CREDIT
    # Medicine safety notes credit FDA, SAMHSA and CDC, once, beside the article.
    both = results_for("chronic_back_lonely")
    assert both.credit == " ".join(sorted((str(content.ARTICLE_CREDIT), str(content.MEDICINE_CREDIT))))
    assert results_for("prefer_not_everywhere").credit == ""


def test_a_card_shows_the_whole_reason_of_its_best_rule_and_folds_the_rest():
    item = next(i for i in results_for("chronic_back_lonely").lane("ask_clinician").items if len(i.rules) > 1)
    best = rules.RULE_BY_ID[item.rules[0]]
    assert item.lead == len(best.reason)
    assert item.main_reason and item.main_reason + " " + item.other_reasons == " ".join(item.reasons)


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_next_steps_link_only_to_cards_shown_open(name):
    results = results_for(name)
    for help_shown in (False, True):
        open_ids = {item.id for lane in results.lanes for item in lane.first + lane.first_questions}
        steps = rules.next_steps(results, help_shown=help_shown)
        assert {step.item_id for step in steps} <= open_ids
        assert len(steps) <= rules.MAX_NEXT_STEPS


def test_each_lane_opens_its_first_cards_and_folds_the_rest():
    for name in PERSONAS:
        for lane in results_for(name).lanes:
            assert lane.first + lane.more == lane.items
            assert len(lane.first) <= rules.OPEN_CARDS[lane.key]
            safety = [other for other in results_for(name).lanes if other.key == content.MEDICINE_SAFETY]
            if safety and len(safety[0].items) >= 2 and lane.key in rules.OPEN_CARDS_BESIDE_SAFETY:
                assert lane.open == rules.OPEN_CARDS_BESIDE_SAFETY[lane.key]
            assert lane.first_questions + lane.more_questions == lane.questions


# --- Six people the check-in was tried with (issue 18): next steps that fit ---

CALM_SOCIAL = {key: CALM[key] for key in ("ucla_companionship", "ucla_left_out", "ucla_isolated", "lonely",
                                          "rejected", "pain_avoidance", "support")}
PROFILES = {
    "a_long_term_opioid": {
        **CHRONIC, "pain_areas": ["back_neck"], "medicines": ["otc", "rx_opioid"], "opioid_duration": "3_months_plus",
        "peg_pain": 6, "peg_enjoyment": 6, "peg_activity": 6, **LONELY_6, "lonely": "some_of_the_time",
        "rejected": "never", "pain_avoidance": "a_little", "support": "usually", "sleep": "fairly_well",
        "stress": "somewhat", "safety": "no", **coping(pain_relievers="using_now"),
    },
    "b_sleeps_well_some_pain": {
        **CALM, "pain_frequency": "some_days", "pain_duration": "under_3_months", "pain_impact": "some_days",
        "pain_areas": ["joints_muscles"], "medicines": ["otc"], "peg_pain": 3, "peg_enjoyment": 2, "peg_activity": 2,
    },
    "c_migraine": {
        **CALM, "pain_frequency": "most_days", "pain_duration": "3_months_plus", "pain_impact": "some_days",
        "pain_areas": ["head"], "medicines": ["rx_nonopioid"], "peg_pain": 5, "peg_enjoyment": 5, "peg_activity": 5,
        "sleep": "fairly_well", "stress": "somewhat",
    },
    "d_severe_everything_in_use": {
        **CALM, **CHRONIC, "pain_impact": "every_day", "pain_areas": ["back_neck"], "medicines": ["otc", "rx_opioid"],
        "opioid_duration": "3_months_plus", "peg_pain": 8, "peg_enjoyment": 8, "peg_activity": 8,
        **coping("using_now"),
    },
    "e_empty": {},
    "f_prefer_not_lonely": {
        "ucla_companionship": "often", "ucla_left_out": "often", "ucla_isolated": "often", "support": "never",
        "stress": "very", "safety": ins.PREFER_NOT,
    },
}

# profile -> its next steps (ids, best first). Before issue 18 they were, by title:
# a: Gentle movement, Peer support, Chiropractic care, Good sleep habits (no naloxone anywhere);
# b: Gentle movement, Anti-inflammatory eating, Read "How pain works" (sleep habits shown for sleeping well);
# c: Good sleep habits, Botox, Mindfulness, Chiropractic care (chiropractic ahead of acupuncture);
# d: Read "Long-term opioid use: a new way to see it" (and nothing else);
# e: nothing, four lanes saying "Nothing here fits";
# f: Mindfulness, 988, CBT, Peer support (no word on the safety answer).
EXPECTED_NEXT_STEPS = {
    "a_long_term_opioid": ["safe_naloxone", "try_gentle_exercise", "connect_peer_support"],
    "b_sleeps_well_some_pain": ["try_gentle_exercise", "try_anti_inflammatory_eating"],
    "c_migraine": ["ask_acupuncture", "ask_botox", "try_sleep_habits"],
    "d_severe_everything_in_use": ["ask_pain_plan", "safe_naloxone", "q_pain_score"],
    "e_empty": ["connect_988", "try_mindfulness", "connect_trusted_person"],
    "f_prefer_not_lonely": ["connect_988", "try_mindfulness", "connect_trusted_person"],
}


def profile_results(name):
    answers = PROFILES[name]
    return rules.evaluate(answers, scoring.score(answers))


def suggested(results) -> list[str]:
    """Return the ids of the cards that propose something (not acknowledgements of an option in use)."""
    return [item.id for lane in results.lanes for item in lane.items + lane.questions
            if item.status == rules.SUGGESTED]


def contradictions(answers, item_ids) -> list[str]:
    """Return what the proposed ``item_ids`` say against an answer, checked apart from the rules table."""
    found = []
    shown = set(item_ids)
    for text in content.ITEMS:
        if text.id in shown and text.option:
            state = answers.get(ins.coping_field(text.option))
            if state in ("not_for_me", "using_now"):
                found.append(f"{text.id} proposed though the answer is {state}")
    learn = {option for option, _ in ins.COPING_OPTIONS if answers.get(ins.coping_field(option)) == "learn_more"}
    if answers.get("sleep") == "well" and "sleep_hygiene" not in learn and {"try_sleep_habits", "q_sleep"} & shown:
        found.append("sleep card for someone who sleeps well")
    in_pain = answers.get("pain_frequency") in ("some_days", "most_days", "every_day")
    if answers.get("stress") == "a_little" and "mindfulness" not in learn and "try_mindfulness" in shown \
            and not in_pain:  # with pain, mindfulness can be about the pain
        found.append("mindfulness for someone a little stressed")
    no_pain = answers.get("pain_frequency") == "never" and scoring.peg_score(answers) is None
    if no_pain and {"q_pain_score", "q_daily_life", "ask_pain_plan"} & shown:
        found.append("pain card for someone with no pain")
    medicines = answers.get("medicines") or []
    if not {"rx_opioid", "moud"} & set(medicines) and {"safe_naloxone", "q_opioid_plan", "q_opioid_mood"} & shown:
        found.append("opioid card for someone who takes none")
    return found


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_next_steps_fit_the_answers(name):
    results = profile_results(name)
    steps = rules.next_steps(results, help_shown=rules.help_first(PROFILES[name]))
    assert [step.item_id for step in steps] == EXPECTED_NEXT_STEPS[name]
    assert not contradictions(PROFILES[name], suggested(results))
    assert not {step.item_id for step in steps} & rules.NOT_NEXT_STEPS


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_no_persona_card_contradicts_an_answer(name):
    answers, site = PERSONAS[name]
    assert not contradictions(answers, suggested(results_for(name)))


@settings(max_examples=examples(300), deadline=None)
@given(answers=ANSWERS)
def test_no_card_ever_contradicts_an_answer(answers):
    assert not contradictions(answers, suggested(rules.evaluate(answers, scoring.score(answers))))


def test_the_contradiction_check_can_fail():
    assert contradictions({"sleep": "well"}, ["try_sleep_habits"])
    assert contradictions({ins.coping_field("chiropractic"): "using_now"}, ["ask_chiropractic"])
    assert contradictions({"medicines": ["otc"]}, ["safe_naloxone"])


def test_sleeping_well_never_brings_sleep_habits_but_asking_to_learn_does():
    results = profile_results("b_sleeps_well_some_pain")
    assert "try_sleep_habits" not in results.shown
    answers = {**PROFILES["b_sleeps_well_some_pain"], **coping(sleep_hygiene="learn_more")}
    assert "try_sleep_habits" in rules.evaluate(answers, scoring.score(answers)).shown


def test_evidence_follows_where_it_hurts():
    migraine = [item.id for item in profile_results("c_migraine").lane("ask_clinician").items]
    assert migraine.index("ask_acupuncture") < migraine.index("ask_chiropractic")
    assert migraine.index("ask_botox") < migraine.index("ask_chiropractic")
    back = [item.id for item in profile_results("a_long_term_opioid").lane("ask_clinician").items]
    assert back[0] == "ask_chiropractic" and back.index("ask_chiropractic") < back.index("ask_acupuncture")
    chiropractic = content.ITEM_BY_ID["ask_chiropractic"]
    assert "spinal manipulation" in chiropractic.short


def test_severe_pain_with_everything_in_use_leads_to_the_clinician_not_to_reading_about_opioids():
    steps = rules.next_steps(profile_results("d_severe_everything_in_use"))
    assert steps[0].item_id == "ask_pain_plan" and steps[0].label == "Ask about"
    assert all(step.label != "Read" for step in steps)
    assert "q_pain_score" in [step.item_id for step in steps]  # a question to bring is a next step too
    assert next(step for step in steps if step.item_id == "q_pain_score").label == "Ask"


def test_an_empty_checkin_gets_starting_points_and_988():
    results = profile_results("e_empty")
    assert results.starting_points
    assert "connect_988" in results.shown and len(results.shown) <= 4
    assert all(lane.items for lane in results.lanes if lane.key != "ask_clinician")
    card = results.lane("connect").items[0]
    assert card.id == "connect_988" and card.main_reason == rules.SAID_FEW_ANSWERS
    # Answers that point nowhere get the same starting points, with words that fit them.
    nowhere = results_for("no_pain")
    assert nowhere.starting_points and nowhere.lane("connect").items[0].main_reason == rules.SAID_NOTHING_STOOD_OUT
    # Starting points respect the coping answers like any card.
    answers = coping(mindfulness="not_for_me")
    assert "try_mindfulness" not in rules.evaluate(answers, scoring.score(answers)).shown
    assert not results_for("high_stress").starting_points


def test_prefer_not_to_say_brings_a_gentle_988_card_not_the_help_panel():
    results = profile_results("f_prefer_not_lonely")
    assert not rules.help_first(PROFILES["f_prefer_not_lonely"])
    card = results.lane("connect").items[0]
    assert card.id == "connect_988"
    assert card.main_reason == f"{rules.SAID_SAFETY_PREFER_NOT} {content.NO_ONE_ALERTED}"
    assert {"tel:988", "sms:988", content.CHAT_988[1]} <= {href for _, href in card.links}
    assert results.no_one_alerted == content.NO_ONE_ALERTED
    assert "No one is alerted" in content.NO_ONE_ALERTED and "nothing is sent to anyone" in content.NO_ONE_ALERTED
    yes = results_for("crisis_then_continued")
    assert yes.no_one_alerted == content.NO_ONE_ALERTED
    assert str(content.NO_ONE_ALERTED) in yes.lane("connect").items[0].main_reason
    assert results_for("high_stress").no_one_alerted == ""


@pytest.mark.parametrize("name", sorted(PERSONAS) + sorted(PROFILES))
def test_reasons_are_grouped_not_repeated(name):
    results = results_for(name) if name in PERSONAS else profile_results(name)
    leads: dict[str, int] = {}
    for lane in results.lanes:
        for item in lane.items:
            if item.status == rules.SUGGESTED:
                for sentence in item.reasons[: item.lead]:
                    leads[sentence] = leads.get(sentence, 0) + 1
    leads.pop(rules.SAME_REASON, None)
    assert max(leads.values(), default=0) <= rules.MAX_SAME_LEAD, leads


def test_a_card_with_only_repeated_reasons_says_so_and_keeps_them_folded():
    # Many cards share one reason: pain on most days with nothing else said.
    answers = {"pain_frequency": "most_days", "pain_duration": "3_months_plus", "pain_areas": ["head", "back_neck"]}
    items = [item for lane in rules.evaluate(answers, scoring.score(answers)).lanes for item in lane.items]
    same = [item for item in items if item.main_reason == rules.SAME_REASON]
    assert same and all(item.other_reasons for item in same)


# --- Medicine safety (FDA, SAMHSA, CDC) ---

PAIN_RELIEVER_USE = ({"medicines": ["otc"]}, {"medicines": ["rx_nonopioid"]}, {"medicines": ["rx_opioid"]},
                     coping(pain_relievers="using_now"))


@settings(max_examples=examples(300), deadline=None)
@given(answers=ANSWERS, medicine=st.sampled_from(("rx_opioid", "moud")))
def test_an_opioid_or_opioid_use_disorder_medicine_always_brings_naloxone_and_overdose_safety(answers, medicine):
    medicines = [m for m in answers.get("medicines", []) if m not in ("none", ins.PREFER_NOT)] + [medicine]
    answers = {**answers, "medicines": sorted(set(medicines))}
    results = rules.evaluate(answers, scoring.score(answers))
    safety = results.lane(content.MEDICINE_SAFETY)
    assert [item.id for item in safety.first][:1] == ["safe_naloxone"]
    assert {"safe_naloxone", "safe_overdose_signs", "safe_mixing_storage"} <= set(results.shown)
    if medicine == "moud":
        assert "safe_moud" in [item.id for item in safety.first]


@pytest.mark.parametrize("use", PAIN_RELIEVER_USE, ids=lambda use: str(use))
def test_the_dose_caution_stays_for_everyone_using_pain_relievers(use):
    results = rules.evaluate(use, scoring.score(use))
    dose = next(item for item in results.lane(content.MEDICINE_SAFETY).items if item.id == "safe_dose")
    assert str(content.DOSE_CAUTION) in dose.short


def test_using_pain_relievers_now_keeps_the_dose_caution_on_its_card():
    answers = {**PROFILES["a_long_term_opioid"]}
    card = next(item for item in rules.evaluate(answers, scoring.score(answers)).lane("ask_clinician").items
                if item.id == "ask_pain_relievers")
    assert card.status == rules.USING_NOW
    assert str(content.DOSE_CAUTION) in card.short and str(content.DOSE_CAUTION) in card.body


def test_no_medicine_safety_text_suggests_changing_a_dose():
    words = ("reduce", "lower", "cut back", "cut down", "taper", "stop taking", "take less", "skip",
             "change your dose", "change the dose", "smaller dose", "wean")
    for item in content.ITEMS:
        if item.lane == content.MEDICINE_SAFETY:
            text = f"{item.title} {item.short} {item.body}".lower()
            assert not [word for word in words if word in text], item.id


def test_the_naloxone_card_says_what_it_is_where_to_get_it_and_who_can_use_it():
    naloxone = content.ITEM_BY_ID["safe_naloxone"]
    assert "undo an opioid overdose" in naloxone.short
    assert "without a prescription" in naloxone.short
    assert "People around you can learn to use it" in naloxone.short
    mixing = content.ITEM_BY_ID["safe_mixing_storage"]
    for needed in ("alcohol", "sleep aids", "benzodiazepines", "locked"):
        assert needed in mixing.short


def test_medication_for_opioid_use_disorder_results_say_keep_taking_it_as_prescribed():
    answers = {"medicines": ["moud"]}
    results = rules.evaluate(answers, scoring.score(answers))
    card = next(item for item in results.lane(content.MEDICINE_SAFETY).items if item.id == "safe_moud")
    assert card.short.startswith("Keep taking it as prescribed.")
    assert card.main_reason == rules.SAID_MOUD
    steps = [step.item_id for step in rules.next_steps(results)]
    assert steps[:2] == ["safe_naloxone", "safe_moud"]

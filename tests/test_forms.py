"""The step forms and their compact rendering (questionnaire.forms.group_html and
templates/questionnaire/fields/group.html): the same accessible HTML crispy gave,
written once per process and marked per request."""

from html.parser import HTMLParser

import pytest
from django import forms as django_forms

from questionnaire import forms, instruments as ins

from .conftest import FULL_ANSWERS, start_checkin

pytestmark = pytest.mark.django_db
SLUGS = [s.slug for s in ins.STEPS]


class Page(HTMLParser):
    """Collect inputs, labels, fieldsets/legends and ids of a rendered page."""

    def __init__(self):
        super().__init__()
        self.ids, self.inputs, self.label_for, self.fieldsets = set(), [], set(), []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids.add(attrs["id"])
        if tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            self.inputs.append(attrs)
            if self.fieldsets:
                self.fieldsets[-1]["inputs"] += 1
        if tag == "label" and "for" in attrs:
            self.label_for.add(attrs["for"])
        if tag == "fieldset":
            self.fieldsets.append({"attrs": attrs, "legend": False, "inputs": 0, "first": None})
        if tag == "legend" and self.fieldsets:
            self.fieldsets[-1]["legend"] = self.fieldsets[-1]["inputs"] == 0  # legend comes first


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.mark.parametrize("slug", SLUGS)
def test_every_choice_has_a_label_and_every_group_a_legend(client, slug):
    start_checkin(client)
    page = parse(client.get(f"/checkin/{slug}/").content.decode())
    assert page.inputs
    for attrs in page.inputs:
        assert attrs["id"] in page.label_for, attrs
    assert page.fieldsets and all(f["legend"] and f["inputs"] for f in page.fieldsets)
    for fieldset in page.fieldsets:
        for ident in fieldset["attrs"].get("aria-describedby", "").split():
            assert ident in page.ids, ident


def test_error_state_marks_the_group_and_describes_it(client):
    start_checkin(client)
    html = client.post("/checkin/medicines/", {"medicines": ["none", "otc"]}).content.decode()
    page = parse(html)
    medicines = [a for a in page.inputs if a["name"] == "medicines"]
    assert all(a.get("aria-invalid") == "true" for a in medicines)
    assert all("aria-invalid" not in a for a in page.inputs if a["name"] == "opioid_duration")
    described = page.fieldsets[0]["attrs"]["aria-describedby"].split()
    assert described == ["id_medicines_helptext", "id_medicines_error"]
    assert 'href="#id_medicines_0"' in html  # the summary links to the first choice
    assert sum(1 for a in medicines if "checked" in a) == 2  # what was sent is kept


def test_saved_answers_are_checked_again(client):
    start_checkin(client)
    for slug in ("privacy", "pain", "past-week", "connection"):
        client.post(f"/checkin/{slug}/", FULL_ANSWERS[slug])
    checked = {
        (a["name"], a["value"])
        for slug in ("pain", "past-week", "connection")
        for a in parse(client.get(f"/checkin/{slug}/").content.decode()).inputs
        if "checked" in a
    }
    expected = {
        (name, value)
        for slug in ("pain", "past-week", "connection")
        for name, values in FULL_ANSWERS[slug].items()
        for value in (values if isinstance(values, list) else [values])
    }
    assert checked == expected


def test_scales_say_what_0_and_10_mean_before_the_numbers(client):
    start_checkin(client)
    html = client.get("/checkin/past-week/").content.decode()
    for code in ("peg_pain", "peg_enjoyment", "peg_activity"):
        question = ins.BY_CODE[code]
        meaning = html.index(f"0 means “{question.low_label}”. 10 means “{question.high_label}”.")
        assert meaning < html.index(f'id="id_{code}_0"')


def test_coping_step_asks_its_question(client):
    start_checkin(client)
    html = client.get("/checkin/coping/").content.decode()
    question = str(ins.BY_CODE["coping"].text)
    assert question in html
    assert html.index(question) < html.index("<fieldset")


def test_choices_are_escaped():
    class Form(forms.GroupsMixin, django_forms.Form):
        pick = forms.BoundedChoiceField(choices=[('"><script>', "<b>bold</b> & co")],
                                        widget=django_forms.RadioSelect, required=False)

    html = Form({"pick": '"><script>'}).questions_html()
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html
    assert " checked" in html  # the chosen value, however odd, is matched as text


def test_forms_do_not_share_changeable_parts():
    one, two = forms.PainForm(), forms.PainForm()
    one.fields["pain_frequency"].widget.attrs["class"] = "changed"
    one.fields["pain_frequency"].error_messages["required"] = "changed"
    assert "class" not in two.fields["pain_frequency"].widget.attrs
    assert forms.PainForm().fields["pain_frequency"].error_messages["required"] != "changed"
    assert forms.PainForm.base_fields["pain_frequency"].error_messages["required"] != "changed"


@pytest.mark.parametrize("form_class", list(forms.FORMS.values()))
def test_written_once_and_marked_is_the_same_as_rendered_in_full(form_class):
    """The fast path (a group written once, choices marked per request) gives
    exactly what the template gives when rendered with the same answers."""
    from django.template.loader import get_template

    template = get_template(forms.GROUP_TEMPLATE)
    for name, field in form_class.base_fields.items():
        values = [str(v) for v, _ in field.choices]
        multiple = isinstance(field.widget, django_forms.CheckboxSelectMultiple)
        for chosen in ([], values[:1], values[-1:], values[1:3] if multiple else values[1:2]):
            initial = {name: chosen if multiple else (chosen[0] if chosen else None)}
            form = form_class(initial=initial)
            full = template.render({"g": forms.group_context(form[name], set(chosen))})
            assert forms.group_html(form, name) == full, (name, chosen)
            assert full.count(" checked") == len(chosen)


def test_a_form_with_errors_is_rendered_in_full():
    form = forms.MedicinesForm({"medicines": ["none", "otc"]})
    assert not form.is_valid()
    html = forms.group_html(form, "medicines")
    assert 'aria-invalid="true"' in html and "id_medicines_error" in html
    assert html.count(" checked") == 2


def test_medicines_offer_medication_for_opioid_use_disorder_on_its_own_line():
    from questionnaire.forms import MedicinesForm

    choices = dict(MedicinesForm().fields["medicines"].choices)
    assert choices["moud"] == "Medication for opioid use disorder (buprenorphine, methadone, naltrexone)"
    assert list(choices)[-2:] == ["moud", "prefer_not"]  # "Prefer not to say" stays last
    form = MedicinesForm(data={"medicines": ["otc", "moud"]})
    assert form.is_valid() and form.cleaned_data["medicines"] == ["otc", "moud"]
    assert form.cleaned_data["opioid_duration"] is None  # asked only for a prescribed opioid
    refused = MedicinesForm(data={"medicines": ["none", "moud"]})
    assert not refused.is_valid() and refused.errors.as_data()["medicines"][0].code == "exclusive"


def test_the_safety_question_has_a_lead_in_that_says_why_and_that_it_is_optional():
    from questionnaire.forms import WellbeingForm

    lead = str(WellbeingForm().fields["safety"].lead)
    assert "so we can show you where to find help" in lead and "You may skip it" in lead
    assert "No one is alerted" in lead
    html = WellbeingForm().questions_html()
    assert html.index(lead) < html.index("Right now, are you thinking about ending your life")
    assert html.count('class="question-lead"') == 1  # only the safety question has one on this step

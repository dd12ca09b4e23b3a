"""One Django form per check-in step, each built from the instrument tables.

Every question is optional (except the privacy choice). ``cleaned_data`` holds the
same flat answer values the rest of the app uses (see ``scoring``): a text code or
``None``, an int for 0-10 scales, a list for multi-selects.

Rendering: ``templates/questionnaire/fields/group.html`` writes one question
group -- a fieldset and legend, help and errors tied to it by
``aria-describedby``, a label per choice, ``aria-invalid`` when wrong -- and
``questions_html()`` writes a form's groups in order (see ``group_html``).
Rendering every field and every choice through crispy-bootstrap5's templates
(one ``{% include %}`` per field and per choice) was about three quarters of the
cost of a step page (issue 12). django-crispy-forms stays for the staff's login
and password forms, where a few text fields make its per-field templates cheap
and its Bootstrap layout saves hand-written markup.
"""

import functools

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import instruments as ins

ERRORS = {
    "required": "Please choose one of the answers.",
    "invalid_choice": "Please choose one of the answers shown.",
    "invalid_list": "Please choose from the answers shown.",
}

# How the question template lays out a group's choices.
LIST_KIND, SCALE_KIND, GRID_KIND = "list", "scale", "grid"

# Long enough for any real value; a longer one is junk and gets a form error
# without ever being stored or echoed back.
MAX_VALUE_LENGTH = 40


class SharedChoicesMixin:
    """Copy a field for each form without deep-copying its choices.

    Django deep-copies every field for each form instance so that one form may
    change its fields' choices; ours never do (the choices are the instruments'
    tuples), and the deep copies were most of the cost of making a step's form.
    """

    def __deepcopy__(self, memo):
        result = _shallow(self)
        memo[id(self)] = result
        result.widget = _shallow(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


def _shallow(obj):
    """Return a shallow copy of a plain object (copy.copy, without its generic machinery)."""
    clone = object.__new__(type(obj))
    clone.__dict__.update(obj.__dict__)
    return clone


class BoundedChoiceField(SharedChoicesMixin, forms.TypedChoiceField):
    """Turn oversized or list-shaped junk into a plain "choose an answer" error."""

    def to_python(self, value):
        if isinstance(value, (list, tuple)) or (isinstance(value, str) and len(value) > MAX_VALUE_LENGTH):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": "…"})
        return super().to_python(value)


class BoundedMultipleChoiceField(SharedChoicesMixin, forms.TypedMultipleChoiceField):
    def to_python(self, value):
        if isinstance(value, (list, tuple)) and any(
            not isinstance(v, str) or len(v) > MAX_VALUE_LENGTH for v in value
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": "…"})
        return super().to_python(value)


def _single(question: ins.Question, label: str | None = None) -> forms.Field:
    return BoundedChoiceField(
        label=label or question.text,
        choices=question.all_choices,
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
        help_text=question.help,
        error_messages=ERRORS,
    )


def _scale(question: ins.Question) -> forms.Field:
    field = BoundedChoiceField(
        label=question.text,
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        required=False,
        empty_value=None,
        help_text=f"0 means “{question.low_label}”. 10 means “{question.high_label}”.",
        error_messages=ERRORS,
    )
    field.kind = SCALE_KIND
    return field


def _multi(question: ins.Question) -> forms.Field:
    return BoundedMultipleChoiceField(
        label=question.text,
        choices=question.all_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=question.help,
        error_messages=ERRORS,
    )


def fields_for(question: ins.Question) -> dict[str, forms.Field]:
    """Return the form fields of one question, keyed by their answer names."""
    if question.kind == ins.SINGLE:
        field = _single(question)
        if question.lead:
            field.lead = question.lead  # said above the question, as the grid's question is
        return {question.code: field}
    if question.kind == ins.SCALE:
        return {question.code: _scale(question)}
    if question.kind == ins.MULTI:
        return {question.code: _multi(question)}
    fields = {}
    for option, label in question.rows:
        field = _single(ins.Question(option, label, ins.SINGLE, question.source, ins.COPING_STATES))
        field.kind = GRID_KIND
        fields[ins.coping_field(option)] = field
    # The grid's question is asked once, above its first row.
    next(iter(fields.values())).lead = question.text
    return fields


GROUP_TEMPLATE = "questionnaire/fields/group.html"


def _chosen(bound: forms.BoundField) -> set[str]:
    """Return the values of the choices to show checked, as text."""
    value = bound.value()
    if isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
        return {str(v) for v in value} if isinstance(value, (list, tuple)) else set()
    return set() if value is None or value == "" else {str(value)}


def group_context(bound: forms.BoundField, chosen: set[str]) -> dict:
    """Return what ``GROUP_TEMPLATE`` needs to write one question group."""
    field = bound.field
    base = bound.auto_id
    errors = bound.errors
    described = [f"{base}_helptext"] if field.help_text else []
    if errors:
        described.append(f"{base}_error")
    return {
        "name": bound.html_name,
        "id": base,
        "label": field.label,
        "help": field.help_text,
        "errors": errors,
        "describedby": " ".join(described),
        "type": "checkbox" if isinstance(field.widget, forms.CheckboxSelectMultiple) else "radio",
        "kind": getattr(field, "kind", LIST_KIND),
        "lead": getattr(field, "lead", ""),
        "required": field.required,
        "options": [
            (f"{base}_{i}", str(value), label, str(value) in chosen)
            for i, (value, label) in enumerate(field.choices)
        ],
    }


@functools.lru_cache(maxsize=256)
def _blank_group(form_class: type, name: str, language: str | None) -> tuple[str, dict[str, str]]:
    """Return a group written once with nothing checked, and each choice's id attribute.

    Written by ``GROUP_TEMPLATE`` the first time a process needs it, once per
    language (the words are the active language's, so it is part of the key);
    the cache holds the form's own wording only, never an answer.
    """
    bound = form_class()[name]
    html = get_template(GROUP_TEMPLATE).render({"g": group_context(bound, set())})
    ids = {str(value): f' id="{bound.auto_id}_{i}"' for i, (value, _) in enumerate(bound.field.choices)}
    for marker in ids.values():
        assert html.count(marker) == 1, marker
    return html, ids


def group_html(form: forms.Form, name: str) -> str:
    """Write one question group as ``GROUP_TEMPLATE`` does, without rendering it again.

    Rendering every choice through Django's template engine was most of the cost
    of a step page (issue 12), so a group without errors is written once per
    process and each request only marks its checked choices. A group with errors
    (rare) is rendered in full.
    """
    bound = form[name]
    chosen = _chosen(bound)
    if bound.errors:
        return get_template(GROUP_TEMPLATE).render({"g": group_context(bound, chosen)})
    html, ids = _blank_group(type(form), name, get_language())
    for value in chosen:
        marker = ids.get(value)
        if marker:
            html = html.replace(marker, marker + " checked", 1)
    return html


class GroupsMixin:
    def questions_html(self) -> str:
        """Return every question group of the form, written, in order."""
        return mark_safe("\n".join(group_html(self, name) for name in self.fields))  # noqa: S308


class StepFormMetaclass(forms.forms.DeclarativeFieldsMetaclass):
    """Declare a step's question fields once, when its form class is made."""

    def __new__(mcs, name, bases, attrs):
        step = attrs.get("step")
        if step is not None:
            for code in step.questions:
                attrs.update(fields_for(ins.BY_CODE[code]))
        return super().__new__(mcs, name, bases, attrs)


class StepForm(GroupsMixin, forms.Form, metaclass=StepFormMetaclass):
    """A form whose fields are the step's questions, in order."""

    step: ins.Step


class PrivacyForm(GroupsMixin, forms.Form):
    step = ins.STEP_BY_SLUG["privacy"]
    privacy = BoundedChoiceField(
        label="Do you want to share your answers? (required)",
        choices=ins.PRIVACY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            **ERRORS,
            "required": "Choose whether to share your answers or keep them only for you.",
        },
    )


class PainForm(StepForm):
    step = ins.STEP_BY_SLUG["pain"]


class PastWeekForm(StepForm):
    step = ins.STEP_BY_SLUG["past-week"]


class ConnectionForm(StepForm):
    step = ins.STEP_BY_SLUG["connection"]


class MedicinesForm(StepForm):
    step = ins.STEP_BY_SLUG["medicines"]

    def clean_medicines(self):
        chosen = self.cleaned_data["medicines"]
        for alone, words in (("none", "“None”"), (ins.PREFER_NOT, "“Prefer not to say”")):
            if alone in chosen and len(chosen) > 1:
                raise ValidationError(
                    f"You chose {words} and another answer. Please choose one or the other.",
                    code="exclusive",
                )
        return chosen

    def clean(self):
        cleaned = super().clean()
        # How long only means something for a prescribed opioid; keep no stray answer.
        if "rx_opioid" not in (cleaned.get("medicines") or []):
            cleaned["opioid_duration"] = None
        return cleaned


class CopingForm(StepForm):
    step = ins.STEP_BY_SLUG["coping"]


class WellbeingForm(StepForm):
    step = ins.STEP_BY_SLUG["wellbeing"]


FORMS = {
    form.step.slug: form
    for form in (PrivacyForm, PainForm, PastWeekForm, ConnectionForm, MedicinesForm, CopingForm, WellbeingForm)
}
assert tuple(FORMS) == tuple(s.slug for s in ins.STEPS), "one form per step, in step order"

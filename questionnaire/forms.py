"""One Django form per check-in step, each built from the instrument tables.

Every question is optional (except the privacy choice). ``cleaned_data`` holds the
same flat answer values the rest of the app uses (see ``scoring``): a text code or
``None``, an int for 0-10 scales, a list for multi-selects.

Rendering: each form gives ``groups()``, one plain dict per question group (its
legend, help, errors and choices, with which are checked), and
``templates/questionnaire/fields/questions.html`` writes them all in one loop.
Rendering every field and every choice through crispy-bootstrap5's templates
(one ``{% include %}`` per field and per choice) was about three quarters of the
cost of a step page (issue 12); this keeps the same accessible HTML -- a fieldset
and legend per question, a label per choice, ``aria-describedby`` for help and
errors, ``aria-invalid`` -- at a small part of the cost. django-crispy-forms
stays for the staff's login and password forms, where a few text fields make its
per-field templates cheap and its Bootstrap layout saves hand-written markup.
"""

import copy
import functools
import html

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

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
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


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
        return {question.code: _single(question)}
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


# One choice: a radio or checkbox and its label, written here rather than by a
# template per choice (issue 12). Each value and label is escaped once, the first
# time a field is written; only "checked" and the error marks change per request.
@functools.lru_cache(maxsize=512)
def _choice_parts(kind: str, name: str, base: str, required: bool, choices: tuple) -> tuple:
    """Return ``(value, after_class, after_id, closing)`` string pieces per choice."""
    parts = []
    for i, (value, label) in enumerate(choices):
        value = str(value)
        ident = f"{base}_{i}"
        parts.append((
            value,
            f'" type="{kind}" name="{html.escape(name)}" value="{html.escape(value)}" id="{ident}"',
            " required" if required else "",
            f'><label class="form-check-label" for="{ident}">{html.escape(str(label))}</label></div>',
        ))
    return tuple(parts)


def _choices_html(kind, name, base, required, choices, chosen, errors) -> str:
    invalid_class, invalid = (" is-invalid", ' aria-invalid="true"') if errors else ("", "")
    return "\n".join(
        f'<div class="choice"><input class="form-check-input{invalid_class}{attrs}'
        f'{" checked" if value in chosen else ""}{invalid}{req}{closing}'
        for value, attrs, req, closing in _choice_parts(kind, name, base, required, choices)
    )


def group(bound: forms.BoundField) -> dict:
    """Return what the question template needs to write one question group.

    The template writes the fieldset, legend, help and errors; ``choices`` is the
    group's radios or checkboxes, already written (``_choices_html``).
    """
    field = bound.field
    multiple = isinstance(field.widget, forms.CheckboxSelectMultiple)
    value = bound.value()
    if multiple:
        chosen = {str(v) for v in value} if isinstance(value, (list, tuple)) else set()
    else:
        chosen = set() if value is None or value == "" else {str(value)}
    base = bound.auto_id
    errors = bound.errors
    described = []
    if field.help_text:
        described.append(f"{base}_helptext")
    if errors:
        described.append(f"{base}_error")
    choices = _choices_html(
        "checkbox" if multiple else "radio", bound.html_name, base, field.required,
        tuple(field.choices), chosen, bool(errors),
    )
    return {
        "id": base,
        "label": field.label,
        "help": field.help_text,
        "errors": errors,
        "describedby": " ".join(described),
        "kind": getattr(field, "kind", LIST_KIND),
        "lead": getattr(field, "lead", ""),
        "choices": mark_safe(choices),  # noqa: S308 -- every part above is escaped
    }


class GroupsMixin:
    def groups(self) -> list[dict]:
        """Return every question group of the form, in order (see ``group``)."""
        return [group(self[name]) for name in self.fields]


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

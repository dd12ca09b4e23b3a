"""One Django form per check-in step, each built from the instrument tables.

Every question is optional (except the privacy choice). ``cleaned_data`` holds the
same flat answer values the rest of the app uses (see ``scoring``): a text code or
``None``, an int for 0-10 scales, a list for multi-selects.
"""

from django import forms
from django.core.exceptions import ValidationError

from . import instruments as ins

ERRORS = {
    "required": "Please choose one of the answers.",
    "invalid_choice": "Please choose one of the answers shown.",
    "invalid_list": "Please choose from the answers shown.",
}

# Long enough for any real value; a longer one is junk and gets a form error
# without ever being stored or echoed back.
MAX_VALUE_LENGTH = 40


class BoundedChoiceField(forms.TypedChoiceField):
    """Turn oversized or list-shaped junk into a plain "choose an answer" error."""

    def to_python(self, value):
        if isinstance(value, (list, tuple)) or (isinstance(value, str) and len(value) > MAX_VALUE_LENGTH):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": "…"})
        return super().to_python(value)


class BoundedMultipleChoiceField(forms.TypedMultipleChoiceField):
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
    return BoundedChoiceField(
        label=question.text,
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        required=False,
        empty_value=None,
        help_text=f"0 means “{question.low_label}”. 10 means “{question.high_label}”.",
        error_messages=ERRORS,
    )


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
    return {
        ins.coping_field(option): _single(
            ins.Question(option, label, ins.SINGLE, question.source, ins.COPING_STATES)
        )
        for option, label in question.rows
    }


class StepForm(forms.Form):
    """A form whose fields are the step's questions, in order."""

    step: ins.Step

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in self.step.questions:
            self.fields.update(fields_for(ins.BY_CODE[code]))


class PrivacyForm(forms.Form):
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

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Every form field renders the same accessible way: label, help, error next to the field."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

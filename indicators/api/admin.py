"""Administration of API tokens: issue (the secret is shown once), list, revoke."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import access
from indicators.models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "agency", "user"]

    def clean(self) -> dict:
        data = super().clean() or {}
        agency, user = data.get("agency"), data.get("user")
        if agency and user and not (access.is_reporter(user) and access.is_member(user, agency.pk)):
            raise forms.ValidationError(_("ผู้ใช้ที่เลือกต้องเป็นเจ้าหน้าที่ผู้รายงานของหน่วยงานนี้"))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "agency", "user", "hint", "created_at", "revoked_at"]
    list_filter = ["agency"]
    list_select_related = ["agency", "user"]
    readonly_fields = ["hint", "created_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # A token keeps its agency and user: issue a new one instead.
        return [*self.readonly_fields, "name", "agency", "user"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked tokens stay, as a record of who could write

    def save_model(self, request, obj: ApiToken, form, change: bool) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        secret = obj.issue()
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            _("โทเคนของ %(name)s: %(token)s — คัดลอกเก็บไว้ตอนนี้ ระบบจะไม่แสดงอีก")
            % {"name": obj.name, "token": secret},
        )

    @admin.action(description=gettext_lazy("ยกเลิกโทเคนที่เลือก"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.active():
            token.revoke()
        self.message_user(request, _("ยกเลิกโทเคนแล้ว"))

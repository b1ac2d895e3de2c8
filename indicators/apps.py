from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("ตัวชี้วัด")

    def ready(self) -> None:
        from simple_history.models import HistoricalChanges

        from indicators.data_versions import data_changed
        from indicators.models import Standing
        from indicators.stored_files import file_fields, remove_files_after_delete

        # Cached pages and figures are renewed after any edit of this app's data. History rows
        # are left out: each comes with the save of the row it records; so are stored standings,
        # which are figures derived from the data (and deleted with their indicator at once).
        for model in self.get_models():
            if issubclass(model, HistoricalChanges) or model is Standing:
                continue
            uid = model._meta.label
            post_save.connect(data_changed, sender=model, dispatch_uid=f"saved:{uid}")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"deleted:{uid}")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through is None:  # set for every many-to-many once the apps are loaded
                    continue
                m2m_changed.connect(
                    data_changed, sender=through, dispatch_uid=f"linked:{through._meta.label}"
                )
        self._connect_readers()
        # A deleted row's file goes with it (admin, cascades, imports); see stored_files.py.
        for model, _field in file_fields():
            uid = f"files:{model._meta.label}"
            post_delete.connect(remove_files_after_delete, sender=model, dispatch_uid=uid)

    @staticmethod
    def _connect_readers() -> None:
        """What sessions keep of their reader is renewed when a user or their roles change."""
        from django.contrib.auth.models import Group, User

        from indicators.sessions import signed_in, signed_out, user_changed

        user_logged_in.connect(signed_in, dispatch_uid="reader:signed-in")
        user_logged_out.connect(signed_out, dispatch_uid="reader:signed-out")
        for model in (User, Group):
            uid = model._meta.label
            post_save.connect(user_changed, sender=model, dispatch_uid=f"reader-saved:{uid}")
            post_delete.connect(user_changed, sender=model, dispatch_uid=f"reader-deleted:{uid}")
        m2m_changed.connect(user_changed, sender=User.groups.through, dispatch_uid="reader-groups")

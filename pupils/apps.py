from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = "Pupils and referrals"

    def ready(self) -> None:
        from pupils.approvals import register_approval_kind
        from pupils.exports import register_pupils_exports
        from pupils.records import register_pupils_record_types
        from pupils.selectors import REFERRAL_SUBJECTS, referral_approval_facts
        from pupils.services import REFER_TO_AP, referral_on_approval_decided

        register_approval_kind(
            REFER_TO_AP,
            label="Cause for Concern decision",
            facts=referral_approval_facts,
            on_decided=referral_on_approval_decided,
            subject_queryset=REFERRAL_SUBJECTS,
        )
        register_pupils_record_types()
        register_pupils_exports()

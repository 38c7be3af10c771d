"""Version 1 of the AP audit questions: the provider-checks policy's audit (docs/domain-rules.md#kcsie-confirmation), every question with its guidance.

The questions are written out here, not imported, so this migration keeps creating exactly the
first version whatever later versions say.
"""

from django.db import migrations
from django.utils import timezone

SECTIONS = [
    (
        "Safeguarding",
        [
            (
                "How did Ofsted judge safeguarding in the last report?",
                "If there's no Ofsted report, it's likely the AP isn't registered.",
            ),
            (
                "Are all safeguarding policies and procedures in place, like:\n"
                "• Safer recruitment?\n"
                "• Child protection and safeguarding?\n"
                "• Health, relationship and sex education?",
                "Look at the AP's policies.\nTalk to the AP to make sure it's implementing the policies.",
            ),
            ("What safeguarding training have the AP staff had?", "Look at the safeguarding training log."),
            (
                "What were the results of the AP's most recent safeguarding audit?",
                "Ask to see the AP's safeguarding action plan.",
            ),
        ],
    ),
    (
        "Quality of education",
        [
            (
                "How did Ofsted judge the quality of education in the last report?",
                "Look at:\n• Recent Ofsted report\n• National data (attainment and progress)",
            ),
            (
                "What did you see on your learning walk?",
                "Look for:\n"
                "• Pupil engagement\n"
                "• Pupil behaviour\n"
                "• Pastoral support\n"
                "• Quality of teaching\n"
                "• Adult-pupil interaction\n"
                "• The needs of pupils with special educational needs and/or disabilities are being met",
            ),
            (
                "How is the curriculum organised?",
                "Look at:\n"
                "• Long-term plans, medium-term plans and weekly timetables, and whether these are in line "
                "with your school's curriculum (especially in English, maths and science)\n"
                "• Whether lessons are differentiated to meet all pupils' needs",
            ),
            ("How do teachers plan their lessons?", "Look at:\n• Books\n• Displays\nTalk to staff."),
            ("What extra-curricular opportunities does the AP offer?", ""),
            (
                "Do pupils enjoy learning?",
                "Look for evidence of this on your learning walk. Are pupils:\n"
                "• Engaged in learning?\n"
                "• Being challenged?\n"
                "• Making progress?",
            ),
            (
                "How does the AP's behaviour policy support pupils' personal development?",
                "Ask for a copy of the behaviour policy.\nLook for evidence on your learning walk.",
            ),
        ],
    ),
    (
        "Transition process and procedures",
        [
            ("What are the AP's induction arrangements?", ""),
            ("Does it offer any taster sessions?", ""),
            ("Can our pupil visit the provision before they start attending?", ""),
            ("What does your transition timetable look like?", ""),
            (
                "How does the AP reintegrate pupils back into mainstream education?",
                "Look at the AP's reintegration arrangements.",
            ),
            ("How does the AP determine whether a pupil is ready to be reintegrated into mainstream education?", ""),
        ],
    ),
    (
        "Communication and information sharing",
        [
            ("How does the AP track attendance?", "Look at the AP's attendance figures."),
            ("How will the AP let us know when our pupil is absent?", ""),
            ("How do we share any specific learning concerns we may have about our pupil with the AP?", ""),
            ("How will the AP tell us about our pupil's progress?", ""),
            ("How does the AP communicate with parents?", ""),
            (
                "How does the AP assess learning? What pupil progress checks does it do?",
                "Look at the school assessment policy.",
            ),
            (
                "What outside agencies does the AP work with?",
                "Ask about outside agencies such as:\n"
                "• Social care services\n"
                "• Educational psychology services\n"
                "• Child and adolescent mental health services\n"
                "• Youth offending teams\n"
                "• Drug support services",
            ),
            ("How does the AP support pupils pastorally?", ""),
            ("If our pupil has concerns about safeguarding or well-being, who do they speak to?", ""),
            ("What are the AP's complaints procedures?", "Look at the complaints policy."),
        ],
    ),
]


def create_version_1(apps, schema_editor):
    QuestionBank = apps.get_model("audits", "QuestionBank")
    AuditSection = apps.get_model("audits", "AuditSection")
    AuditQuestion = apps.get_model("audits", "AuditQuestion")
    bank = QuestionBank.objects.create(
        version=1,
        notes="The Alternative Provision audit of the school's AP policy (Appendix 2), as published.",
        published_at=timezone.now(),
    )
    for section_order, (title, questions) in enumerate(SECTIONS, start=1):
        section = AuditSection.objects.create(bank=bank, order=section_order, title=title)
        AuditQuestion.objects.bulk_create(
            AuditQuestion(section=section, order=order, text=text, guidance=guidance)
            for order, (text, guidance) in enumerate(questions, start=1)
        )


def remove_version_1(apps, schema_editor):
    apps.get_model("audits", "QuestionBank").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [migrations.RunPython(create_version_1, remove_version_1)]

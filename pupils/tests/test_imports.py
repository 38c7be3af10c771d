"""The MIS CSV import: the plan (preview), applying it all-or-nothing, and the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pupils.imports import plan_import
from pupils.models import Contact, Pupil
from pupils.services import ImportRefused, pupils_import
from pupils.tests.factories import PupilFactory

SAMPLE = Path(__file__).parent / "data" / "pupils-sample.csv"
HEADER = "UPN,Surname,Forename,DOB,Gender,Year,SEN,Primary Need,Admission Date\n"
GOOD = "Q860200119101,Abbott,Grace,14/03/2016,F,5,N,,03/09/2020\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(rows)).encode()


def errors_by_row(plan) -> dict[int, list[str]]:
    return {row.number: row.errors for row in plan.error_rows}


def test_the_sample_file_plans_a_new_pupil_per_row(school):
    plan = plan_import(school=school, content=SAMPLE.read_bytes())
    assert not plan.has_errors, plan.error_rows
    assert plan.counts == {"create": 6}
    yusuf = plan.rows[1]
    assert (yusuf.number, yusuf.upn, yusuf.name) == (3, "E860200119102", "Yusuf Bashir")
    assert yusuf.pupil_fields["year_group"] == "5"
    assert yusuf.contact_fields is not None
    assert yusuf.contact_fields["relationship"] == Contact.Relationship.MOTHER  # "Mum"
    assert yusuf.contact_fields["title"] == "Ms"  # "ms."


def test_applying_the_sample_creates_pupils_and_contacts_with_who_did_it(school, office):
    pupils_import(actor=office, school=school, content=SAMPLE.read_bytes())
    assert Pupil.objects.filter(school=school).count() == 6
    theo = Pupil.objects.get(legal_first_name="Theo")
    assert theo.has_temporary_upn
    grace = Pupil.objects.get(upn="Q860200119101")
    assert (grace.pupil_premium, grace.fsm, grace.eal, grace.date_of_birth.isoformat()) == (
        True,
        True,
        False,
        "2016-03-14",
    )
    contact = grace.contacts.get()
    assert (contact.name, contact.address, contact.preferred_method) == (
        "Sarah Abbott",
        "4 Elm Road\nNorthbridge",
        "phone",
    )
    created = grace.history.get()
    assert (created.history_user, created.history_type, created.history_change_reason) == (
        office,
        "+",
        "Imported from the MIS export",
    )
    assert contact.history.get().history_user == office
    assert Pupil.objects.get(legal_first_name="Mia").contacts.count() == 0


def test_importing_the_same_file_again_changes_nothing_and_says_so(school, office):
    pupils_import(actor=office, school=school, content=SAMPLE.read_bytes())
    history_rows = Pupil.history.count() + Contact.history.count()
    plan = pupils_import(actor=office, school=school, content=SAMPLE.read_bytes())
    assert plan.changes_nothing and plan.counts == {"unchanged": 6}
    assert Pupil.history.count() + Contact.history.count() == history_rows


def test_a_changed_row_is_planned_as_an_update_listing_each_change(school, office):
    PupilFactory(school=school, upn="Q860200119101", legal_first_name="Grace", legal_last_name="Abbott",
                 date_of_birth="2016-03-14", sex="F", year_group="4", admission_date="2020-09-03")  # fmt: skip
    plan = plan_import(school=school, content=csv(GOOD))
    [row] = plan.rows
    assert row.action == "update"
    assert row.changes == ["NC year group: Year 4 → Year 5"]


def test_an_optional_column_left_out_leaves_that_field_alone(school, office):
    pupil = PupilFactory(school=school, upn="Q860200119101", legal_first_name="Grace", legal_last_name="Abbott",
                         date_of_birth="2016-03-14", sex="F", year_group="5", registration_group="Oak",
                         admission_date="2020-09-03", fsm=True)  # fmt: skip
    plan = pupils_import(actor=office, school=school, content=csv(GOOD))
    assert plan.changes_nothing
    pupil.refresh_from_db()
    assert (pupil.registration_group, pupil.fsm) == ("Oak", True)


def test_an_empty_cell_in_an_optional_column_keeps_the_stored_value(school, office):
    pupil = PupilFactory(school=school, upn="Q860200119101", legal_first_name="Grace", legal_last_name="Abbott",
                         date_of_birth="2016-03-14", sex="F", year_group="5", registration_group="Oak",
                         admission_date="2020-09-03", fsm=True, pupil_premium=True)  # fmt: skip
    header = HEADER.rstrip("\n") + ",Registration Group,FSM,Pupil Premium\n"
    plan = pupils_import(actor=office, school=school, content=csv(GOOD.rstrip("\n") + ",,,N\n", header=header))
    assert [row.changes for row in plan.rows] == [["Pupil Premium: Yes → No"]]
    pupil.refresh_from_db()
    assert (pupil.registration_group, pupil.fsm, pupil.pupil_premium) == ("Oak", True, False)


class TestContactTitle:
    HEADER = HEADER.rstrip("\n") + ",Contact Title,Contact Name,Contact Relationship,Contact Phone\n"

    def _import(self, school, office, title: str):
        row = GOOD.rstrip("\n") + f",{title},Sarah Abbott,Mother,07700 900301\n"
        return pupils_import(actor=office, school=school, content=csv(row, header=self.HEADER))

    def test_a_title_is_read_and_an_empty_cell_keeps_the_stored_one(self, school, office):
        self._import(school, office, "MRS")
        contact = Contact.objects.get(name="Sarah Abbott")
        assert (contact.title, contact.greeting) == ("Mrs", "Dear Mrs Abbott")
        plan = self._import(school, office, "")
        assert plan.changes_nothing
        contact.refresh_from_db()
        assert contact.title == "Mrs"
        plan = self._import(school, office, "Dr.")
        assert [row.changes for row in plan.rows] == [["Contact Sarah Abbott: new title"]]
        contact.refresh_from_db()
        assert contact.title == "Dr"

    def test_an_unknown_title_is_an_error_naming_its_column(self, school):
        row = GOOD.rstrip("\n") + ",Sir,Sarah Abbott,Mother,07700 900301\n"
        plan = plan_import(school=school, content=csv(row, header=self.HEADER))
        assert errors_by_row(plan) == {
            2: ["Contact Title: “Sir” is not a title: use Mr, Mrs, Miss, Ms, Mx, Dr, or leave it empty."]
        }


def test_a_future_admission_date_is_an_error(school):
    plan = plan_import(school=school, content=csv("Q860200119101,Abbott,Grace,14/03/2016,F,5,N,,01/09/2099\n"))
    assert errors_by_row(plan) == {2: ["Admission Date: 01/09/2099 is in the future; give the day the pupil joined."]}


def test_a_file_with_any_bad_row_applies_nothing_and_reports_every_row(school, other_school, office):
    PupilFactory(school=other_school, upn="E860200119102")
    content = csv(
        GOOD,  # row 2: fine on its own
        "E860200119102,Bashir,Yusuf,02/07/2016,M,5,N,,03/09/2020\n",  # row 3: belongs to another school
        "U860200119103,Cooper,Ava,31/02/2017,F,4,N,,04/09/2021\n",  # row 4: no such date
        "H860200119104,Dunn,Kieran,05/01/2016,M,5,S,SEMH,03/09/2020\n",  # row 5: old SEN code
        "X860200119105,Evans,Mia,30/06/2018,F,3,Q,,02/09/2022\n",  # row 6: not a SEN code
        "Q860200119101,Abbott,Grace,14/03/2016,F,5,N,,03/09/2020\n",  # row 7: duplicate of row 2
        "A860200119105,Ford,Ruby,2018-06-30,F,3,N,,02/09/2022\n",  # row 8: wrong check letter
        "L860200119106,Gray,Sam,2016-01-01,F,5,K,,03/09/2020\n",  # row 9: SEN support without a need
    )
    with pytest.raises(ImportRefused) as refused:
        pupils_import(actor=office, school=school, content=content)
    errors = errors_by_row(refused.value.plan)
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert errors[2] == ["UPN: the same UPN is also on row 7."]
    assert "belongs to a pupil at another school" in errors[3][0]
    assert errors[4] == ["DOB: “31/02/2017” is not a date: use dd/mm/yyyy or yyyy-mm-dd."]
    assert errors[5] == ["SEN Provision: S (statement) was replaced by E (EHC plan) in 2018."]  # no knock-on error
    assert errors[6] == ["SEN Provision: “Q” is not an SEN provision code: use N, K or E."]
    assert errors[7] == ["UPN: the same UPN is also on row 2."]
    assert "check letter A does not match" in errors[8][0]
    # Named by the column of the file, as the school reads it.
    assert errors[9] == ["Primary Need: Give the primary need of a pupil with SEN support or an EHC plan."]
    assert not Pupil.objects.filter(school=school).exists()


def test_missing_columns_are_named(school):
    plan = plan_import(school=school, content=b"UPN,Surname\nQ860200119101,Abbott\n")
    assert plan.file_errors == [
        "These columns are missing: Legal Forename, DOB, Sex, NC Year, SEN Provision, Admission Date."
    ]


def test_an_empty_cell_in_a_required_column_is_reported_once(school):
    plan = plan_import(school=school, content=csv("Q860200119101,Abbott,Grace,,F,5,N,,03/09/2020\n"))
    assert errors_by_row(plan) == {2: ["DOB: this cell is empty."]}


def test_the_ehcp_flag_must_agree_with_the_sen_provision(school):
    header = HEADER.replace("Admission Date", "Admission Date,EHCP")
    plan = plan_import(school=school, content=csv(GOOD.replace("\n", ",Y\n"), header=header))
    assert errors_by_row(plan) == {2: ["EHCP: the EHCP flag must be Y exactly when SEN provision is E."]}


def test_a_windows_excel_export_is_read(school):
    content = (HEADER + GOOD.replace("Grace", "Zoë")).encode("cp1252")
    assert plan_import(school=school, content=content).rows[0].name == "Zoë Abbott"


def test_an_empty_file_and_a_header_only_file_are_explained(school):
    assert plan_import(school=school, content=b"").file_errors == ["The file is empty."]
    assert plan_import(school=school, content=HEADER.encode()).file_errors == ["The file has a header but no pupils."]


class TestCommand:
    def test_it_imports_a_file_into_the_school_with_the_urn(self, school, office, capsys):
        call_command("import_pupils", str(SAMPLE), "--school", school.urn, "--user", "office")
        assert "Imported: 6 added, 0 updated, 0 unchanged." in capsys.readouterr().out
        assert Pupil.objects.get(upn="Q860200119101").history.get().history_user == office
        call_command("import_pupils", str(SAMPLE), "--school", school.urn)
        assert "Nothing changed" in capsys.readouterr().out

    def test_a_dry_run_saves_nothing(self, school, capsys):
        call_command("import_pupils", str(SAMPLE), "--school", school.urn, "--dry-run")
        assert "Would import: 6 added" in capsys.readouterr().out
        assert not Pupil.objects.exists()

    def test_bad_rows_are_listed_and_nothing_is_saved(self, school, tmp_path, capsys):
        bad = tmp_path / "bad.csv"
        bad.write_bytes(csv(GOOD, "E860200119102,Bashir,Yusuf,02/07/2016,M,5,A,,03/09/2020\n"))
        with pytest.raises(CommandError, match="Nothing was imported"):
            call_command("import_pupils", str(bad), "--school", school.urn)
        assert "Row 3 (E860200119102): SEN Provision: A (School Action" in capsys.readouterr().err
        assert not Pupil.objects.exists()

    def test_an_unknown_school_is_explained(self, db):
        with pytest.raises(CommandError, match="No school has the URN 999999"):
            call_command("import_pupils", str(SAMPLE), "--school", "999999")


def test_an_update_changes_the_pupil_in_place_and_adds_a_new_contact(school, office, teacher):
    import csv as csv_module
    import io

    pupils_import(actor=office, school=school, content=SAMPLE.read_bytes())
    mia = Pupil.objects.get(legal_first_name="Mia")
    mia.key_adults.add(teacher)
    reader = csv_module.DictReader(io.StringIO(SAMPLE.read_text()))
    row = next(row for row in reader if row["Legal Forename"] == "Mia")
    row |= {"NC Year": str(int(row["NC Year"]) + 1), "Contact Name": "Ana Lopes", "Contact Relationship": "Mother"}
    row["Contact Phone"] = "07700 900999"
    out = io.StringIO()
    assert reader.fieldnames is not None
    writer = csv_module.DictWriter(out, fieldnames=reader.fieldnames)
    writer.writeheader()
    writer.writerow(row)
    plan = pupils_import(actor=office, school=school, content=out.getvalue().encode())
    assert plan.counts == {"update": 1}, [r.errors for r in plan.error_rows]
    mia.refresh_from_db()
    assert mia.year_group == row["NC Year"] and mia.contacts.get().name == "Ana Lopes"
    assert list(mia.key_adults.all()) == [teacher]  # the import leaves key adults alone
    assert mia.history.first().history_type == "~"

"""Scoring a geoparser: the arithmetic on hand-made gold and predictions, then `warmonitor eval places` itself.

A prediction is a place as `warmonitor geoparse` writes it. A predicted span counts when it shares at least one
character with a gold span. A resolution is good within 161 km of the gold point. Countries are compared by ISO2
code, and admin1 names are compared folded.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from warmonitor.errors import UserError
from warmonitor.evaluate_places import (ACC_KM, GoldToponym, PlacesReport, best_match, error_curve_auc,
                                        overlap, read_gold)
from warmonitor.resolve.gazetteer import km

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "evaluation" / "places_sample.jsonl"
# What the gazetteer's iso2_of does, for the handful of names these cases use.
ISO2 = {"syria": "SY", "palestinian territory": "PS", "palestine": "PS", "united states": "US", "iraq": "IQ"}


def iso2_of(name: str) -> str | None:
    return ISO2.get(name.lower())


def gold(start, end, lat=None, lon=None, country=None, admin1=None, text="x") -> GoldToponym:
    return GoldToponym(start, end, text, lat, lon, country, admin1)


def pred(start, end, lat=None, lon=None, country=None, iso2=None, admin1=None, name="P", feature="town",
         text="x") -> dict:
    return {"start": start, "end": end, "text": text, "name": name, "latitude": lat, "longitude": lon,
            "country": country, "iso2": iso2, "admin1": admin1, "feature": feature}


def scored(gold_list, pred_list, iso2=iso2_of, admin1_id=None) -> PlacesReport:
    report = PlacesReport(iso2_of=iso2, admin1_id=admin1_id)
    report.add("a1", gold_list, pred_list)
    return report


# --- recognition --------------------------------------------------------------------------------------------

def test_ranges_that_only_touch_do_not_overlap():
    assert overlap(10, 15, 15, 20) == 0
    assert overlap(10, 15, 14, 20) == 1
    assert overlap(0, 30, 5, 10) == 5


def test_touching_spans_are_a_miss_and_a_false_alarm():
    m = scored([gold(10, 15)], [pred(15, 20)]).metrics()
    assert (m["precision"], m["recall"], m["f1"]) == (0.0, 0.0, 0.0)


def test_a_longer_predicted_span_still_recognises_the_gold_one():
    # gold "Idlib", predicted "Idlib province"
    m = scored([gold(58, 63)], [pred(58, 72)]).metrics()
    assert m["precision"] == m["recall"] == 1.0


def test_precision_recall_and_f1_count_spans():
    report = scored([gold(0, 5), gold(10, 15), gold(20, 25)], [pred(1, 4), pred(40, 45)])
    m = report.metrics()
    assert m["precision"] == 0.5  # one of two predictions overlaps gold
    assert m["recall"] == pytest.approx(1 / 3)  # one of three gold spans is found
    assert m["f1"] == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    kinds = [p.kind for p in report.problems]
    assert kinds.count("miss") == 2 and kinds.count("false alarm") == 1


def test_the_prediction_with_the_largest_overlap_is_the_match():
    g = gold(0, 20, 35.0, 36.0)
    small, large = pred(0, 5, 10.0, 10.0), pred(5, 20, 35.1, 36.0)
    assert best_match(g, [small, large]) is large
    m = scored([g], [small, large]).metrics()
    assert m["acc161"] == 1.0 and m["median_error_km"] < 20


def test_of_equal_overlaps_the_tightest_prediction_is_the_match():
    # "near the border with Turkey" (a place in Syria) and "Turkey" itself both cover the gold "Turkey"
    g = gold(20, 26, 39.0, 35.0)
    phrase, country = pred(0, 26, 35.0, 38.0, name="Syria"), pred(20, 26, 39.0, 35.0, name="Turkey")
    assert best_match(g, [phrase, country]) is country
    assert scored([g], [phrase, country]).metrics()["acc161"] == 1.0


# --- distance --------------------------------------------------------------------------------------------

def test_161_km_is_the_boundary_of_a_good_resolution():
    near, far = (36.44, 36.0), (36.46, 36.0)  # 1.44 and 1.46 degrees of latitude north of (35, 36)
    assert km(35.0, 36.0, *near) < ACC_KM < km(35.0, 36.0, *far)
    assert scored([gold(0, 5, 35.0, 36.0)], [pred(0, 5, *near)]).metrics()["acc161"] == 1.0
    report = scored([gold(0, 5, 35.0, 36.0)], [pred(0, 5, *far)])
    assert report.metrics()["acc161"] == 0.0
    assert [p.kind for p in report.problems] == ["far"]
    assert "162 km" in report.problems[0].message


def test_end_to_end_counts_every_located_gold_toponym_resolution_only_the_resolved_ones():
    golds = [gold(0, 5, 35.0, 36.0), gold(10, 15, 35.0, 36.0), gold(20, 25, 35.0, 36.0), gold(30, 35, 35.0, 36.0),
             gold(40, 45)]  # the last has no coordinates: it counts for recognition only
    preds = [pred(0, 5, 35.0, 36.0),  # right
             pred(10, 15, 40.0, 36.0),  # 556 km off
             pred(20, 25)]  # recognised, but nothing to measure
    report = scored(golds, preds)
    m = report.metrics()
    assert m["gold_with_coordinates"] == 4 and m["resolved"] == 2
    assert m["acc161"] == 0.25
    assert m["acc161_resolution_only"] == 0.5
    assert [p.kind for p in report.problems] == ["far", "unresolved", "miss", "miss"]


def test_mean_and_median_errors_are_over_resolved_pairs():
    golds = [gold(0, 5, 0.0, 0.0), gold(10, 15, 0.0, 0.0), gold(20, 25, 0.0, 0.0), gold(30, 35, 0.0, 0.0)]
    preds = [pred(0, 5, 0.0, 0.0), pred(10, 15, 0.0, 1.0), pred(20, 25, 0.0, 3.0)]  # the last gold is missed
    errors = [0.0, km(0, 0, 0, 1), km(0, 0, 0, 3)]
    m = scored(golds, preds).metrics()
    assert m["median_error_km"] == pytest.approx(errors[1])
    assert m["mean_error_km"] == pytest.approx(statistics.fmean(errors))
    # an even number of errors: the median is the mean of the middle two
    m = scored(golds[:2], preds[:2]).metrics()
    assert m["median_error_km"] == pytest.approx(errors[1] / 2)


def test_the_error_curve_area_is_zero_when_exact_and_one_at_the_antipode():
    assert error_curve_auc([0.0, 0.0, 0.0]) == 0.0
    assert error_curve_auc([20039.0, 20039.0]) == pytest.approx(1.0)
    assert 0.0 < error_curve_auc([1.0, 100.0, 1000.0]) < 1.0
    assert error_curve_auc([5.0]) is None


# --- country and admin1 ----------------------------------------------------------------------------------

def test_countries_are_compared_by_iso2_code_not_by_name():
    g = gold(0, 7, 31.9, 35.2, country="Palestinian Territory")
    assert scored([g], [pred(0, 7, 31.9, 35.2, country="Palestine", iso2="PS")]).metrics()["country_accuracy"] == 1
    assert scored([g], [pred(0, 7, 31.9, 35.2, country="Israel", iso2="IL")]).metrics()["country_accuracy"] == 0
    # without a code on either side, the folded names must agree
    assert scored([gold(0, 5, country="Syria")], [pred(0, 5, country="syria")], iso2=None).metrics()[
        "country_accuracy"] == 1


def test_an_unrecognised_toponym_counts_as_a_wrong_country():
    m = scored([gold(0, 5, country="Syria"), gold(10, 15, country="Iraq")],
               [pred(0, 5, country="Syria", iso2="SY")]).metrics()
    assert (m["country_hits"], m["country_total"], m["country_accuracy"]) == (1, 2, 0.5)


def test_admin1_names_are_folded_and_a_province_is_its_own_admin1():
    g = gold(0, 11, country="Syria", admin1="Rīf Dimashq")
    assert scored([g], [pred(0, 11, country="Syria", iso2="SY", admin1="Rif Dimashq")]).metrics()[
        "admin1_accuracy"] == 1.0
    province = pred(0, 11, country="Syria", iso2="SY", admin1=None, name="Rif Dimashq", feature="admin1")
    assert scored([g], [province]).metrics()["admin1_accuracy"] == 1.0
    assert scored([g], [pred(0, 11, country="Syria", iso2="SY", admin1="Homs")]).metrics()["admin1_accuracy"] == 0.0


def test_admin1_names_that_differ_match_when_they_name_the_same_unit():
    # GeoNames calls the Damascus governorate "Dimashq", OCHA "Damascus"
    units = {("dimashq", "SY"): "SY01", ("damascus", "SY"): "SY01", ("rural damascus", "SY"): "SY03"}

    def admin1_id(name, iso2):
        return units.get((name.lower(), iso2))

    g = gold(0, 8, country="Syria", admin1="Dimashq")
    right = pred(0, 8, country="Syria", iso2="SY", admin1="Damascus")
    wrong = pred(0, 8, country="Syria", iso2="SY", admin1="Rural Damascus")
    assert scored([g], [right], admin1_id=admin1_id).metrics()["admin1_accuracy"] == 1.0
    assert scored([g], [right]).metrics()["admin1_accuracy"] == 0.0  # by name alone they differ
    assert scored([g], [wrong], admin1_id=admin1_id).metrics()["admin1_accuracy"] == 0.0


def test_a_same_named_admin1_in_another_country_is_wrong():
    g = gold(0, 7, country="United States", admin1="Georgia")
    wrong = pred(0, 7, country="Georgia", iso2="GE", admin1="Georgia")
    assert scored([g], [wrong]).metrics()["admin1_accuracy"] == 0.0


def test_a_failed_article_counts_all_its_toponyms_as_misses():
    report = PlacesReport()
    report.add_failure("a9", [gold(0, 5, 1.0, 1.0), gold(10, 15)], "ValueError: boom")
    m = report.metrics()
    assert (m["failed_articles"], m["recall"], m["acc161"]) == (1, 0.0, 0.0)
    assert [p.kind for p in report.problems] == ["failed", "miss", "miss"]


# --- the gold file --------------------------------------------------------------------------------------

def write(tmp_path: Path, *rows) -> Path:
    path = tmp_path / "gold.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "g1", "text": "Shelling hit Homs.", "toponyms": [{"start": 13, "end": 17, "lat": 34.73, "lon": 36.72}]}


def test_the_sample_gold_file_reads_and_its_offsets_name_its_toponyms():
    articles = read_gold(SAMPLE)
    assert len(articles) == 8
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    for article, row in zip(articles, rows):
        assert [t.text for t in article.toponyms] == [t["name"] for t in row["toponyms"]]


@pytest.mark.parametrize("bad, reason", [
    ('{"id": "g2", "text": ', "malformed JSON"),
    ({"text": "no id"}, "string 'id' and 'text'"),
    ({"id": "g2", "text": "Homs."}, "'toponyms' must be a list"),
    ({"id": "g2", "text": "Homs.", "toponyms": [{"start": 0, "end": 40}]}, "offsets into the text"),
    ({"id": "g2", "text": "Homs.", "toponyms": [{"start": 0, "end": 4, "lat": 34.7}]}, "both be numbers"),
    ({"id": "g2", "text": "Homs.", "toponyms": [{"start": 0, "end": 4, "lat": 134.7, "lon": 1}]}, "coordinates"),
    ({"id": "g2", "text": "Homs.", "toponyms": [{"start": 0, "end": 4, "country": 760}]}, "'country'"),
])
def test_a_bad_gold_line_is_named_by_file_and_line(tmp_path, bad, reason):
    path = write(tmp_path, GOOD, bad)
    with pytest.raises(UserError) as caught:
        read_gold(path)
    assert str(caught.value).startswith(f"{path}:2: ") and reason in str(caught.value)


def test_a_line_separator_inside_a_text_does_not_split_the_line(tmp_path):
    row = {"id": "g4", "text": "Shelling\u2028hit Homs.", "toponyms": [{"start": 13, "end": 17}]}
    [article] = read_gold(write(tmp_path, row))
    assert article.toponyms[0].text == "Homs"


def test_a_country_toponym_has_no_admin1_to_score(tmp_path):
    # GeoNames gives Iraq's entry the province its point lies in; LGL copies it into the gold
    row = {"id": "g5", "text": "Troops left Iraq.", "toponyms": [
        {"start": 12, "end": 16, "lat": 33.0, "lon": 44.0, "country": "Iraq", "admin1": "Baghdad", "fcode": "PCLI"}]}
    [article] = read_gold(write(tmp_path, row))
    assert (article.toponyms[0].country, article.toponyms[0].admin1) == ("Iraq", None)


def test_a_missing_or_empty_gold_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        read_gold(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(UserError, match="no gold articles"):
        read_gold(tmp_path / "empty.jsonl")


# --- the command ----------------------------------------------------------------------------------------

def warmonitor(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warmonitor", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=180)


METRICS = ("recognition precision", "recognition recall", "recognition F1", "Acc@161km end to end",
           "Acc@161km resolution only", "country accuracy", "admin1 accuracy", "mean error km", "median error km")


def test_eval_places_prints_every_metric_on_the_sample(tmp_path):
    result = warmonitor("eval", "places", SAMPLE, "--errors", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in METRICS:
        assert name in result.stdout
    toponyms = [t for article in read_gold(SAMPLE) for t in article.toponyms]
    located = [t for t in toponyms if t.has_coords]
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"articles 8 (0 failed), gold toponyms {len(toponyms)} "
                               f"({len(located)} with coordinates)")
    metrics = json.loads(lines[-1])
    assert (metrics["articles"], metrics["gold_toponyms"]) == (8, len(toponyms))
    assert 0.0 <= metrics["recall"] <= 1.0 and 0.0 <= metrics["acc161"] <= 1.0
    if metrics["recall"] < 1.0:  # --errors lists each gold span the geoparser did not find
        assert ": miss: " in result.stdout


def test_eval_places_on_a_bad_gold_file_fails_with_one_line(tmp_path):
    path = write(tmp_path, GOOD, GOOD, '{"id": "g3", "text": "Homs.", "toponyms": [{"start": 3, "end": 1}]}')
    result = warmonitor("eval", "places", path, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"warmonitor: error: {path}:3: toponym 1: 'start' and 'end' must be offsets into the text with "
        f"start < end (got 3, 1; the text has 5 characters)"]


def test_eval_places_refuses_a_limit_that_is_not_positive(tmp_path):
    result = warmonitor("eval", "places", SAMPLE, "--limit", "0", cwd=tmp_path)
    assert result.returncode == 2 and "positive" in result.stderr and "Traceback" not in result.stderr

"""Subjects: known names, places kept apart, cited sources recognised."""
from claims.subjects import ENTITY, PLACE, REFERENCE, SOURCE, Gazetteer, find_mentions, normalize

GAZ = Gazetteer.from_names({
    "Northwind": ["Northwind Traders", "NWT"],
    "Qubit 3.5-Pro": ["Qubit 3.5 Pro"],
    "lumo": [],
    "EU car market": [],
})


def kinds(text):
    return [(m.text, m.kind, m.canonical) for m in find_mentions(text, GAZ)]


def test_normalized_keys_ignore_case_spacing_and_punctuation():
    assert normalize("Qubit 3.5-Pro") == normalize("qubit3.5 pro") == "qubit35pro"
    assert normalize("Northwind's") == "northwind"


def test_aliases_resolve_to_the_canonical_name():
    found = kinds("Northwind Traders said NWT shares rose.")
    assert ("Northwind Traders", ENTITY, "Northwind") in found
    assert ("NWT", ENTITY, "Northwind") in found


def test_a_lower_case_brand_is_found():
    assert ("lumo", ENTITY, "lumo") in kinds("Last year lumo sold 2 million phones.")


def test_model_names_with_numbers_stay_whole():
    assert ("Qubit 3.5 Pro", ENTITY, "Qubit 3.5-Pro") in kinds("The Qubit 3.5 Pro scored 1290 points.")


def test_places_are_not_subjects():
    found = kinds("Sales of Northwind in Germany fell.")
    assert ("Germany", PLACE, "Germany") in found


def test_cited_sources_are_marked():
    found = kinds("Northwind led the market, according to Gartner Research.")
    assert ("Gartner Research", SOURCE, None) in found
    assert ("Contoso", SOURCE, None) in kinds("Northwind grew 5%, Contoso said.")
    assert ("Contoso", SOURCE, None) in kinds("Northwind grew 5%, said Contoso.")


def test_a_company_speaking_about_itself_is_the_subject():
    assert ("Northwind", ENTITY, "Northwind") in kinds("Northwind said its revenue rose 5%.")


def test_back_references():
    assert any(k == REFERENCE for _, k, _ in kinds("The company said its margin fell."))


def test_unknown_capitalised_names_are_candidates():
    assert ("Fabrikam Motors", ENTITY, None) in kinds("Yesterday Fabrikam Motors delivered 40,000 cars.")


def test_fuzzy_resolution_needs_a_close_name():
    assert GAZ.fuzzy("car market EU")[0] == "EU car market"
    assert GAZ.fuzzy("bakery chain") is None


def test_adjectives_of_place_are_places():
    found = kinds("Northwind leads the Norwegian market, ahead of Chinese rivals.")
    assert ("Norwegian", PLACE, "Norway") in found and ("Chinese", PLACE, "China") in found

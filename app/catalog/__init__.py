"""Reading checklist, settings, sources, vague-language and scenario files, with problems named
by file and line. `load_catalog` never raises for bad content: it reports `Problem`s."""
from app.catalog.loader import Catalog, load_catalog
from app.catalog.problems import Problem
from app.domain.errors import CatalogError

__all__ = ["Catalog", "CatalogError", "Problem", "load_catalog"]

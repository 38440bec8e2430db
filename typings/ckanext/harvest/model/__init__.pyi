# Types of the ckanext-harvest models our harvesters use. ckanext-harvest
# declares its columns as plain ``Column(...)`` class attributes, which a type
# checker reads as ``Column[...]`` on instances too; these stubs give the
# mapped types (the module's runtime code is unchanged, only described).
import datetime
from typing import Any

from ckan.model.domain_object import DomainObject
from sqlalchemy.orm import Mapped

class HarvestError(Exception): ...

class HarvestDomainObject(DomainObject):
    key_attr: str
    @classmethod
    def get(cls, key: str, default: Any = ..., attr: str | None = ...) -> Any: ...
    @classmethod
    def filter(cls, **kwds: Any) -> Any: ...

class HarvestSource(HarvestDomainObject):
    id: Mapped[str]
    url: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    config: Mapped[str | None]
    created: Mapped[datetime.datetime]
    type: Mapped[str]
    active: Mapped[bool]
    user_id: Mapped[str]
    publisher_id: Mapped[str]
    frequency: Mapped[str]
    next_run: Mapped[datetime.datetime | None]
    def __init__(self, **kwargs: Any) -> None: ...

class HarvestJob(HarvestDomainObject):
    id: Mapped[str]
    created: Mapped[datetime.datetime]
    gather_started: Mapped[datetime.datetime | None]
    gather_finished: Mapped[datetime.datetime | None]
    finished: Mapped[datetime.datetime | None]
    source_id: Mapped[str]
    status: Mapped[str]
    source: Mapped[HarvestSource]
    objects: Mapped[list[HarvestObject]]
    def __init__(self, **kwargs: Any) -> None: ...

class HarvestObject(HarvestDomainObject):
    id: Mapped[str]
    guid: Mapped[str]
    current: Mapped[bool]
    gathered: Mapped[datetime.datetime]
    fetch_started: Mapped[datetime.datetime | None]
    content: Mapped[str]
    fetch_finished: Mapped[datetime.datetime | None]
    import_started: Mapped[datetime.datetime | None]
    import_finished: Mapped[datetime.datetime | None]
    state: Mapped[str]
    metadata_modified_date: Mapped[datetime.datetime | None]
    retry_times: Mapped[int]
    harvest_job_id: Mapped[str]
    harvest_source_id: Mapped[str]
    package_id: Mapped[str | None]
    report_status: Mapped[str | None]
    job: Mapped[HarvestJob]
    source: Mapped[HarvestSource]
    extras: Mapped[list[HarvestObjectExtra]]
    errors: Mapped[list[HarvestObjectError]]
    def __init__(self, **kwargs: Any) -> None: ...

class HarvestObjectExtra(HarvestDomainObject):
    id: Mapped[str]
    harvest_object_id: Mapped[str]
    key: Mapped[str]
    value: Mapped[str]
    def __init__(self, **kwargs: Any) -> None: ...

class HarvestGatherError(HarvestDomainObject):
    id: Mapped[str]
    harvest_job_id: Mapped[str]
    message: Mapped[str]
    created: Mapped[datetime.datetime]
    @classmethod
    def create(cls, message: str, job: HarvestJob) -> None: ...

class HarvestObjectError(HarvestDomainObject):
    id: Mapped[str]
    harvest_object_id: Mapped[str]
    message: Mapped[str]
    stage: Mapped[str]
    line: Mapped[int | None]
    created: Mapped[datetime.datetime]
    @classmethod
    def create(
        cls, message: str, object: HarvestObject, stage: str = ..., line: int | None = ...
    ) -> None: ...

class HarvestLog(HarvestDomainObject): ...

def setup() -> None: ...

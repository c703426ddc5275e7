"""Configuration files in layers: one model per file kind, one rule for names.

Layers, read in this order (`config_layers`): the package's own files
(``benchmark/resources/configs``), the user config folder of the platform
(``~/.config/bench`` on Linux) when it exists, then the folder the caller names
(``config_dir``: the CLI passes ``--config`` or ``$BENCH_CONFIG``; the library never
reads the environment for it). Each layer may hold:

- ``models.yaml``: ``models:`` preset name -> `PresetSpec` (a model name and options);
- ``datasets.yaml``: dataset name -> `DatasetEntry` (one source, licence, citation ...);
- ``endpoints.yaml``: ``endpoints:`` name -> `EndpointSpec`, and ``default:`` a name;
- ``prompts/NAME.yaml`` (`PromptFile`: ``user``, ``system``, ``description``) or
  ``prompts/NAME.txt`` (the user message alone).

Every file is validated by its pydantic model with ``extra="forbid"``: an unknown
top-level key (``model:`` for ``models:``) or field is an error naming the key and the
file. The one rule for names: a later layer adds names; defining a name an earlier
layer defines is an error naming both files, unless the definitions are the same (a
copy of the package's files is no conflict), so no file can quietly give a known name
another meaning.
"""

from benchmark.config.files import (DatasetEntry, DatasetsFile, EndpointsFile, EndpointSpec,
                                    ModelsFile, PresetSpec, PromptFile)
from benchmark.config.layers import (ConfigLayer, Defined, check_config_dir, config_dir_in_effect,
                                     config_in_effect, config_layers, merge_layers, parse_file,
                                     read_yaml)
from benchmark.config.load import (Endpoints, load_datasets, load_endpoints, load_models,
                                   load_prompt, prompt_names)

__all__ = ["ConfigLayer", "DatasetEntry", "DatasetsFile", "Defined", "EndpointSpec",
           "Endpoints", "EndpointsFile", "ModelsFile", "PresetSpec", "PromptFile",
           "check_config_dir", "config_dir_in_effect", "config_in_effect", "config_layers", "load_datasets", "load_endpoints",
           "load_models", "load_prompt", "merge_layers", "parse_file", "prompt_names",
           "read_yaml"]

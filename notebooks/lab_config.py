"""JupyterLab's settings for the analyst's notebooks (`make lab`, and the lab browser test).

Read by `jupyter lab --config=notebooks/lab_config.py`; `c` is the configuration object
Jupyter hands to this file.
"""

import os

from endorse_analysis.notebook import strip_outputs

c = get_config()  # noqa: F821 - defined by Jupyter when it reads this file

# In a container one is usually root, and JupyterLab refuses root unless told otherwise.
c.ServerApp.allow_root = os.geteuid() == 0
# The lab runs offline: no fetch of Jupyter's news feed or of the latest version.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# The committed notebooks are saved without outputs; those in scratch/ keep theirs.
c.FileContentsManager.pre_save_hook = strip_outputs

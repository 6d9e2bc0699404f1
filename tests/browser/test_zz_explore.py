import json
import pytest
from browser.support import AXE, AXE_OPTIONS, CONSOLE

PAGES = ["/", "/accounts/login/", "/library/", "/library/precondition/",
         "/library/element/precondition.hiring_policy.seniority/", "/library/search/?q=hiring",
         "/library/report/", "/nowhere/"]

@pytest.mark.browser
def test_explore(page, world, log_in):
    out = {}
    for path in PAGES:
        page.goto(path)
        out[path] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in AXE.run(page, options=AXE_OPTIONS).response["violations"]]
    log_in(world.org_admin)
    slug = world.org.slug
    for path in ["/", "/me/", "/me/api-keys/", f"/o/{slug}/", f"/o/{slug}/settings/", f"/o/{slug}/members/", f"/o/{slug}/audit/", "/accounts/2fa/", "/accounts/password/change/"]:
        page.goto(path)
        out[path] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in AXE.run(page, options=AXE_OPTIONS).response["violations"]]
    print(json.dumps(out, indent=1))
    print("\n".join(CONSOLE[page]))

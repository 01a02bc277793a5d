/** Entry of the classroom pages: classes, a course, an assignment, its live dashboard and leaderboard. */
import "../shared/style.css";
import { ApiError, apiGet } from "../shared/api";
import { byId, h } from "../shared/dom";
import { pageArgs } from "../shared/forms";
import { showAssignment, showLeaderboard } from "./assignment";
import { showCourse, showCourses, type Me } from "./courses";
import { showDashboard } from "./dashboard";

async function main(): Promise<void> {
  const root = byId("classroom");
  const args = pageArgs();
  try {
    const me = await apiGet<Me>("auth/me");
    if (!me.authenticated) {
      location.assign(`/account/signin?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    if (args.view === "course") await showCourse(root, Number(args.course_id), me);
    else if (args.view === "assignment") await showAssignment(root, Number(args.assignment_id));
    else if (args.view === "dashboard") await showDashboard(root, Number(args.assignment_id));
    else if (args.view === "leaderboard") await showLeaderboard(root, Number(args.assignment_id));
    else await showCourses(root, me);
    root.dataset.state = "ready";
  } catch (error) {
    root.dataset.state = "failed";
    const message = error instanceof ApiError ? error.message : String(error);
    root.replaceChildren(h("h1", {}, document.title.split(" — ")[0]), h("p", { role: "alert" }, message), h("p", {}, h("a", { href: "/classes" }, "Your classes")));
  }
}

void main();

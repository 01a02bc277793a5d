/** The classes page (courses, join with a code, new course) and a course (its code, students, assignments, new assignment). */
import { apiGet, apiPost } from "../shared/api";
import { h } from "../shared/dom";
import { ApiForm, when } from "../shared/forms";
import { newAssignmentForm } from "./newassignment";

/** Who is signed in (`GET /api/auth/me`). */
export interface Me {
  authenticated: boolean;
  username: string;
  role: string;
}

/** A course as the API answers it. */
export interface Course {
  id: number;
  name: string;
  teacher: string;
  join_code: string | null;
  is_teacher: boolean;
  students: string[] | null;
  assignments: { id: number; title: string; task: string; deadline: string | null }[];
}

/** The visitor's courses, joining one by code, and (for teachers) making one. */
export async function showCourses(root: HTMLElement, me: Me): Promise<void> {
  const courses = await apiGet<Course[]>("courses");
  const join = new ApiForm([{ name: "code", label: "Join code", hint: "Your teacher gives it: 8 letters and digits.", attrs: { autocomplete: "off" } }], "Join", async (values) => {
    const course = await apiPost<Course>("courses/join", values);
    location.assign(`/classes/${course.id}`);
  });
  const make = new ApiForm([{ name: "name", label: "Course name" }], "Create the course", async (values) => {
    const course = await apiPost<Course>("courses", values);
    location.assign(`/classes/${course.id}`);
  });
  root.replaceChildren(
    h("h1", {}, "Classes"),
    h("div", { className: "class-grid" },
      h("section", { className: "panel", "aria-labelledby": "courses-title" },
        h("h2", { id: "courses-title" }, "Your courses"),
        courses.length
          ? h("ul", { className: "link-list" }, courses.map((c) => h("li", {}, h("a", { href: `/classes/${c.id}` }, c.name), h("span", { className: "hint" }, c.is_teacher ? " you teach it" : ` taught by ${c.teacher}`))))
          : h("p", { className: "hint" }, "None yet.")),
      h("section", { className: "panel", "aria-labelledby": "join-title" }, h("h2", { id: "join-title" }, "Join a course"), join.element),
      me.role === "teacher"
        ? h("section", { className: "panel", "aria-labelledby": "new-course-title" }, h("h2", { id: "new-course-title" }, "New course"), make.element)
        : null,
    ),
  );
}

/** One course: its assignments; for its teacher also the join code, the students and a new assignment. */
export async function showCourse(root: HTMLElement, courseId: number, me: Me): Promise<void> {
  const course = await apiGet<Course>(`courses/${courseId}`);
  document.title = `${course.name} — LayerLab`;
  const assignments = h("section", { className: "panel", "aria-labelledby": "assignments-title" },
    h("h2", { id: "assignments-title" }, "Assignments"),
    course.assignments.length
      ? h("ul", { className: "link-list" }, course.assignments.map((a) => h("li", {}, h("a", { href: `/assignments/${a.id}` }, a.title), h("span", { className: "hint" }, ` ${a.task}${a.deadline ? `, due ${when(a.deadline)}` : ""}`))))
      : h("p", { className: "hint" }, course.is_teacher ? "None yet: set the first below." : "None yet."));
  root.replaceChildren(
    h("h1", {}, course.name, h("span", { className: "run-task" }, course.is_teacher ? "you teach it" : `taught by ${course.teacher}`)),
    course.is_teacher
      ? h("div", { className: "class-grid" },
          h("section", { className: "panel", "aria-labelledby": "code-title" },
            h("h2", { id: "code-title" }, "Join code"),
            h("p", { className: "join-code", id: "join-code" }, course.join_code ?? ""),
            h("p", { className: "hint" }, "Students sign in, open Classes and type it.")),
          h("section", { className: "panel", "aria-labelledby": "students-title" },
            h("h2", { id: "students-title" }, `Students (${course.students?.length ?? 0})`),
            course.students?.length ? h("ul", { className: "chips" }, course.students.map((s) => h("li", {}, s))) : h("p", { className: "hint" }, "Nobody has joined yet.")),
          assignments)
      : assignments,
    ...(course.is_teacher && me.role ? [await newAssignmentForm(course.id)] : []),
  );
}

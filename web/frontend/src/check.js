// "Check against the public samples" without leaving the page: the form is posted as the browser would
// post it without JavaScript (to the button's formaction), and the check's own page is read until the
// check has finished; its result, or the reason it was refused, is shown under the form.

const FINISHED = ["graded", "error"];

export function showChecks(form, panel) {
  form.addEventListener("submit", (event) => {
    if (event.submitter?.id !== "check-button") return;
    event.preventDefault();
    check(form, event.submitter, panel);
  });
}

async function check(form, button, panel) {
  button.disabled = true;
  panel.replaceChildren(note("Checking against the public samples…", "spinner"));
  try {
    let answer = await fetch(button.formAction, {method: "POST", body: new FormData(form)});
    let page = await parsed(answer);
    if (!answer.ok) {
      panel.replaceChildren(note(refusal(page, answer.status), "flash error"));
      return;
    }
    // Look soon, then less and less often (as poll.js does on a result page).
    for (let delay = 300; !FINISHED.includes(result(page).dataset.status); delay = Math.min(2000, delay * 1.5)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      answer = await fetch(answer.url);
      page = await parsed(answer);
    }
    panel.replaceChildren(document.importNode(result(page), true));
  } catch (error) {
    panel.replaceChildren(note("The check did not reach the server, or its answer could not be read; "
                               + "try again.", "flash error"));
  } finally {
    button.disabled = false;
  }
}

async function parsed(answer) {
  return new DOMParser().parseFromString(await answer.text(), "text/html");
}

function result(page) {
  const found = page.getElementById("check-result");
  if (!found) throw new Error("not a check page");
  return found;
}

/** What the server said when it refused: the flashed message, or the error page's own. */
function refusal(page, status) {
  const said = page.querySelector(".flash.error") || page.querySelector("main p");
  return said ? said.textContent.trim() : `The check was refused (HTTP ${status}).`;
}

function note(text, className) {
  const paragraph = document.createElement("p");
  paragraph.className = className;
  paragraph.setAttribute("role", "status");
  paragraph.textContent = text;
  return paragraph;
}

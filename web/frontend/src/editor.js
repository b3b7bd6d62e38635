// The exercise page, enhanced: a CodeMirror editor over the form's textarea (which stays the field the
// form sends, so the page works without JavaScript), the draft kept in this browser, a choice between
// writing and uploading, and the sample check shown in place. Loaded as a file: the pages' CSP forbids
// inline scripts (and admits CodeMirror's injected styles by the page's nonce alone).
import {EditorState} from "@codemirror/state";
import {
  EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap,
  lineNumbers, placeholder,
} from "@codemirror/view";
import {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
import {
  bracketMatching, defaultHighlightStyle, indentOnInput, indentUnit, syntaxHighlighting,
} from "@codemirror/language";
import {python} from "@codemirror/lang-python";

import {showChecks} from "./check.js";
import {readDraft, saveDraft} from "./draft.js";

// The nonce the page's CSP gives the styles CodeMirror injects (read now: currentScript is gone later).
const styleNonce = document.currentScript.dataset.styleNonce;
const textarea = document.getElementById("source");
if (textarea) {
  const view = startEditor(textarea);
  offerChoice(textarea, view);
  showChecks(textarea.form, document.getElementById("check-panel"));
}

/** The editor in place of the textarea, which it keeps up to date (and the draft with it). */
function startEditor(textarea) {
  const key = textarea.dataset.draftKey;
  // Code the server put in the field (an earlier submission to fix, or the code just refused) comes first.
  const initial = textarea.value || readDraft(key) || "";
  const keep = EditorView.updateListener.of((update) => {
    if (!update.docChanged) return;
    textarea.value = update.state.doc.toString();
    saveDraft(key, textarea.value);
  });
  const view = new EditorView({
    state: EditorState.create({
      doc: initial,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), drawSelection(),
        indentOnInput(), bracketMatching(), highlightActiveLine(), python(), indentUnit.of("    "),  // PEP 8
        syntaxHighlighting(defaultHighlightStyle, {fallback: true}),
        // indentWithTab: Tab indents; Esc then Tab leaves the editor (CodeMirror's own escape for keyboard users).
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        placeholder(textarea.placeholder),
        EditorView.contentAttributes.of({
          "aria-labelledby": textarea.dataset.labelId, "aria-describedby": textarea.dataset.helpId,
        }),
        EditorView.cspNonce.of(styleNonce),
        keep,
      ],
    }),
  });
  textarea.value = initial;
  textarea.after(view.dom);
  textarea.hidden = true;
  document.getElementById(textarea.dataset.helpId).hidden = false;
  // The label names the textarea, now hidden: a click on it goes to the editor instead.
  document.getElementById(textarea.dataset.labelId).addEventListener("click", (event) => {
    event.preventDefault();
    view.focus();
  });
  return view;
}

/** "Write here" or "Upload a file": the other panel is hidden and its field disabled, so it is not sent. */
function offerChoice(textarea, view) {
  const choice = document.getElementById("send-choice");
  const file = textarea.form.elements.file;
  const panels = {write: document.getElementById("write-panel"), upload: document.getElementById("upload-panel")};
  function choose(value) {
    panels.write.hidden = value !== "write";
    panels.upload.hidden = value !== "upload";
    textarea.disabled = value !== "write";
    file.disabled = value !== "upload";
    if (value === "write") view.requestMeasure();
  }
  choice.hidden = false;
  document.getElementById("both-note").hidden = true;
  choice.addEventListener("change", (event) => choose(event.target.value));
  choose(choice.querySelector("input:checked").value);
}

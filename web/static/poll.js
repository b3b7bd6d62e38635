// Reload the result page once its submission leaves the queue: look soon, then less and less often
// (0.3 s, growing by half each time, up to 2 s), so a long queue is not slowed by its own polling.
(function () {
  const url = document.currentScript.dataset.statusUrl;
  let delay = 300;
  async function poll() {
    try {
      const answer = await fetch(url, {headers: {Accept: "application/json"}});
      const {status} = await answer.json();
      if (status === "graded" || status === "error") { window.location.reload(); return; }
    } catch (e) { /* the server may be restarting: keep polling */ }
    delay = Math.min(2000, delay * 1.5);
    setTimeout(poll, delay);
  }
  setTimeout(poll, delay);
})();

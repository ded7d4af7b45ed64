// The import page's progress: while a preview or an import waits for a worker or runs, poll
// the job every second and move the bar; when it has finished, reload to show the findings.
(function () {
  "use strict";
  const box = document.getElementById("progress");
  if (!box || box.hidden) return;
  const text = document.getElementById("progress-text");
  const bar = document.getElementById("progress-bar");
  async function poll() {
    const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const job = await response.json();
    if (!job.running && !job.waiting) {
      window.location.reload();
      return;
    }
    if (job.total > 0) {
      bar.max = job.total;
      bar.value = job.done;
      text.textContent = `${job.phase} ${job.done.toLocaleString()} / ${job.total.toLocaleString()}`;
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 1000);
})();

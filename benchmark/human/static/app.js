// The annotation page: answers are saved as they are given (autosave), the keyboard
// drives everything (digits answer, arrows move, Enter goes on), progress follows.
(function () {
  "use strict";
  var page = document.getElementById("page");
  if (!page) { return; }
  var questions = Array.prototype.slice.call(document.querySelectorAll(".question"));
  var status = document.getElementById("status");
  var comment = document.getElementById("comment");
  var cannotJudge = document.getElementById("cannot-judge");
  var current = 0;
  var noteTimer = null;
  var saves = Promise.resolve();  // saves go one after the other, in the order given

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function post(url, body) {
    var sent = saves.then(function () { return send(url, body); });
    saves = sent.catch(function () {});
    return sent;
  }

  function send(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.status); }
        return data;
      });
    });
  }

  function showProgress(data) {
    var bar = document.getElementById("progress");
    bar.value = data.done;
    bar.max = data.total;
    document.getElementById("progress-text").textContent = data.done + " / " + data.total + " مكتملة";
  }

  function focusQuestion(index) {
    if (!questions.length) { return; }
    current = Math.max(0, Math.min(questions.length - 1, index));
    questions.forEach(function (q, i) { q.classList.toggle("current", i === current); });
    questions[current].scrollIntoView({block: "nearest"});
  }

  function answer(question, button) {
    var body = {
      slot: parseInt(question.dataset.slot, 10), criterion: question.dataset.criterion,
      unit: parseInt(question.dataset.unit, 10),
      value: page.dataset.protocol === "pairwise" ? button.dataset.value : parseInt(button.dataset.value, 10)
    };
    return (post(page.dataset.answerUrl, body).then(function (data) {
      question.querySelectorAll(".option").forEach(function (b) { b.classList.remove("selected"); });
      button.classList.add("selected");
      showProgress(data);
      say("حُفظ", false);
    }).catch(function (error) { say("لم يُحفظ: " + error.message, true); }));
  }

  function saveNote() {
    clearTimeout(noteTimer);
    noteTimer = null;
    return (post(page.dataset.noteUrl, {comment: comment.value, cannot_judge: cannotJudge.checked})
      .then(function (data) { showProgress(data); say("حُفظ", false); })
      .catch(function (error) { say("لم يُحفظ: " + error.message, true); }));
  }

  function go(url) {
    if (!url) { return; }
    if (noteTimer) { saveNote(); }
    saves.then(function () { window.location.href = url; });
  }

  questions.forEach(function (question, index) {
    question.querySelectorAll(".option").forEach(function (button) {
      button.addEventListener("click", function () {
        focusQuestion(index);
        answer(question, button);
      });
    });
  });
  comment.addEventListener("input", function () {
    clearTimeout(noteTimer);
    noteTimer = setTimeout(saveNote, 500);
  });
  cannotJudge.addEventListener("change", saveNote);

  document.addEventListener("keydown", function (event) {
    if (event.target === comment) {
      if (event.key === "Escape") { comment.blur(); }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var question = questions[current];
    if (/^[0-9]$/.test(event.key) && question) {
      var button = question.querySelector('.option[data-key="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        answer(question, button);
        focusQuestion(current + 1);
      }
    } else if (event.key === "ArrowDown") {
      event.preventDefault(); focusQuestion(current + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault(); focusQuestion(current - 1);
    } else if (event.key === "ArrowLeft" || event.key === "Enter") {
      event.preventDefault(); go(page.dataset.nextUrl);
    } else if (event.key === "ArrowRight") {
      event.preventDefault(); go(page.dataset.previousUrl);
    }
  });

  var firstOpen = questions.findIndex(function (q) { return !q.querySelector(".option.selected"); });
  focusQuestion(firstOpen < 0 ? 0 : firstOpen);
})();

// Playback: the step clock. It owns the store's step, playing, speed and ease, and keeps its
// own time within a step (for the glide between tiles), whether it is holding a step for a
// line on screen, and which chunks to load ahead.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const EASE_MS = 250; // at most 4 steps a second while a conversation is on screen

  // Steps per second at speed 1..5: 3.75, 7.5, 15, 30, 60.
  const stepMs = (speed) => 1000 / (1.875 * Math.pow(2, speed));
  const clampSpeed = (speed) => Math.max(1, Math.min(5, Math.round(+speed) || 2));

  // bubbles: RW.Bubbles (what is on screen); lineAt(step, a): the line agent a says then.
  function Player(store, replay, bubbles, lineAt) {
    this.store = store;
    this.replay = replay;
    this.bubbles = bubbles;
    this.nextStep = 0; // the step playback would move to next
    this.nextLine = (a) => lineAt(this.nextStep, a);
    this.fromStep = store.get("step"); // the agents glide from where they were at fromStep
    this.acc = 0; // ms into the step
    this.target = -1; // the step a seek is loading
    this.held = false; // waiting: a line on screen has not had its time yet
  }

  Player.prototype.last = function () {
    return this.replay.steps - 1;
  };

  // Paused at the last step: the play button starts again from the beginning.
  Player.prototype.ended = function () {
    return !this.store.get("playing") && this.store.get("step") >= this.last();
  };

  Player.prototype.seek = function (step) {
    step = Math.max(0, Math.min(this.last(), Math.floor(+step) || 0));
    this.target = step;
    return this.replay.ensure(step).then(() => {
      if (this.target !== step) return;
      this.fromStep = step;
      this.store.set({ step });
      this.prefetch();
    }, RW.fail);
  };

  // Play; at the last step, play again from the start.
  Player.prototype.play = function () {
    if (this.store.get("step") >= this.last()) {
      this.seek(0).then(() => this.play());
      return;
    }
    this.store.set({ playing: true });
  };

  Player.prototype.pause = function () {
    this.held = false;
    this.store.set({ playing: false });
  };

  Player.prototype.setSpeed = function (speed) {
    this.store.set({ speed: clampSpeed(speed) });
  };

  Player.prototype.setEase = function (on) {
    this.store.set({ ease: !!on });
  };

  // Milliseconds a step lasts now: slower while a conversation is on screen (if easing).
  Player.prototype.stepMs = function () {
    const ms = stepMs(this.store.get("speed"));
    return this.store.get("ease") && this.bubbles.talking() ? Math.max(ms, EASE_MS) : ms;
  };

  // How far (0..1) the agents are from their tiles at fromStep to those at the step.
  Player.prototype.progress = function () {
    if (this.fromStep === this.store.get("step")) return 1;
    return Math.min(1, this.acc / this.stepMs());
  };

  // Move the clock on by dt ms of real time (now: performance.now()). The store's step moves
  // once a frame, to the last step played: a slow device at speed 5 plays several steps a
  // frame, and what follows the step (the town, the panels) is then worked out once, for the
  // step shown.
  Player.prototype.advance = function (dt, now) {
    const ms = this.stepMs();
    if (!this.store.get("playing")) {
      this.acc = Math.min(ms, this.acc + dt);
      return;
    }
    this.acc += dt;
    this.held = false;
    const moved = this.store.get("step");
    let step = moved;
    while (this.acc >= ms && step < this.last()) {
      if (!this.replay.has(step + 1)) {
        this.replay.ensure(step + 1).catch(RW.fail);
        this.acc = ms;
        break;
      }
      this.nextStep = step + 1;
      if (this.store.get("ease") && this.bubbles.holds(this.nextLine, now)) {
        this.acc = ms; // wait: a line on screen has not had its time yet
        this.held = true;
        break;
      }
      this.fromStep = step;
      step += 1;
      this.acc -= ms;
    }
    if (step !== moved) this.store.set({ step });
    if (step >= this.last() && this.acc >= ms) this.pause();
    const chunk = this.replay.chunkSteps;
    if (step !== moved && step % chunk > chunk / 2) this.prefetch();
  };

  Player.prototype.prefetch = function () {
    const next = this.replay.chunkOf(this.store.get("step")) + 1;
    if (next < this.replay.chunks.length) {
      this.replay.ensure(next * this.replay.chunkSteps).catch(RW.fail);
    }
  };

  RW.Player = Player;
  RW.clampSpeed = clampSpeed;
})();

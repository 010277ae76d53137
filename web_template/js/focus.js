// Where the viewer looks: the agent chosen and whether the camera follows them (it owns the
// store's selected and following), and the camera's moves to an agent or a conversation.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const CLOSE = 20; // CSS pixels per tile at least, when the camera goes to somebody
  const TALK = 24; // ... and when it goes to a conversation, close enough to read

  // frame: RW.Shown's frame (where each agent is drawn); player: RW.Player (for seeking).
  function Focus(store, camera, frame, player) {
    this.store = store;
    this.camera = camera;
    this.frame = frame;
    this.player = player;
  }

  // Choose agent a (-1: none). Following stays on for the next one chosen, off with none.
  Focus.prototype.select = function (a) {
    this.store.set({ selected: a, following: a >= 0 && this.store.get("following") });
  };

  // The camera to agent a: zoomed in to be seen (`close`), or only kept clear of a phone's
  // panel.
  Focus.prototype.look = function (a, close) {
    if (a < 0) return;
    if (close) this.goTo(a);
    else if (this.camera.inset) this.centreOn(a);
  };

  Focus.prototype.follow = function (on) {
    const selected = this.store.get("selected");
    this.store.set({ following: !!on && selected >= 0 });
    if (this.store.get("following")) this.goTo(selected);
  };

  // A move of the camera by hand ends following.
  Focus.prototype.moved = function () {
    if (this.store.get("following")) this.follow(false);
  };

  // Every frame: the camera stays on the agent followed.
  Focus.prototype.track = function () {
    const a = this.store.get("selected");
    if (this.store.get("following") && a >= 0) this.centreOn(a);
  };

  Focus.prototype.centreOn = function (a) {
    this.camera.centre(this.frame.x[a] + 0.5, this.frame.y[a] + 0.5);
  };

  // Centre on agent a, first zooming in to CLOSE if the view is further out (from the whole
  // town one could not tell who is who, and the camera could not centre).
  Focus.prototype.goTo = function (a) {
    const scale = Math.max(this.camera.view.scale, CLOSE);
    this.camera.centre(this.frame.x[a] + 0.5, this.frame.y[a] + 0.5, scale);
  };

  // Go to a conversation: its first step, the camera on the two of them.
  Focus.prototype.showTalk = function (c) {
    return this.player.seek(c.start).then(() => {
      const f = this.frame;
      const scale = Math.max(this.camera.view.scale, TALK);
      this.camera.centre((f.tx[c.a] + f.tx[c.b]) / 2 + 0.5, (f.ty[c.a] + f.ty[c.b]) / 2 + 0.5,
        scale);
    });
  };

  RW.Focus = Focus;
})();

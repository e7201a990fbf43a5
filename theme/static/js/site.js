/* Marks the page as able to run our scripts: components enhance themselves
   only under body.js-enabled, so without JavaScript everything still works. */
document.body.classList.add("js-enabled");

// Command kstatus prints how kstatus reads objects on a cluster: the status that
// sigs.k8s.io/cli-utils computes (kapply) and the one github.com/fluxcd/cli-utils computes
// (Helm 4's --wait and Flux's health checks), for each object named on the command line.
//
//	kstatus --kubeconfig PATH --namespace NS clockworkresources/db clockworkcomposites/webapp ...
//
// It prints a JSON array, one element per object, in the order given:
//
//	{"object":"clockworkresources/db","found":true,"kapply":{"status":"InProgress","message":"..."},"flux":{...}}
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	fluxstatus "github.com/fluxcd/cli-utils/pkg/kstatus/status"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"
	kstatus "sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type verdict struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

type result struct {
	Object string   `json:"object"`
	Found  bool     `json:"found"`
	Kapply *verdict `json:"kapply,omitempty"`
	Flux   *verdict `json:"flux,omitempty"`
}

func main() {
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "path to the kubeconfig")
	namespace := flag.String("namespace", "default", "namespace of the objects")
	group := flag.String("group", "clockwork.dev", "API group of the objects")
	version := flag.String("version", "v1alpha1", "API version of the objects")
	flag.Parse()
	if flag.NArg() == 0 {
		fail("usage: kstatus --kubeconfig PATH --namespace NS PLURAL/NAME...")
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fail("kubeconfig: %v", err)
	}
	client, err := dynamic.NewForConfig(config)
	if err != nil {
		fail("client: %v", err)
	}
	results := make([]result, 0, flag.NArg())
	for _, arg := range flag.Args() {
		plural, name, ok := strings.Cut(arg, "/")
		if !ok {
			fail("%q: expected PLURAL/NAME", arg)
		}
		gvr := schema.GroupVersionResource{Group: *group, Version: *version, Resource: plural}
		u, err := client.Resource(gvr).Namespace(*namespace).Get(context.Background(), name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			results = append(results, result{Object: arg})
			continue
		}
		if err != nil {
			fail("get %s: %v", arg, err)
		}
		results = append(results, compute(arg, u))
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(results); err != nil {
		fail("encode: %v", err)
	}
}

func compute(arg string, u *unstructured.Unstructured) result {
	r := result{Object: arg, Found: true}
	if res, err := kstatus.Compute(u); err != nil {
		r.Kapply = &verdict{Status: "Error", Message: err.Error()}
	} else {
		r.Kapply = &verdict{Status: res.Status.String(), Message: res.Message}
	}
	if res, err := fluxstatus.Compute(u); err != nil {
		r.Flux = &verdict{Status: "Error", Message: err.Error()}
	} else {
		r.Flux = &verdict{Status: res.Status.String(), Message: res.Message}
	}
	return r
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kstatus: "+format+"\n", args...)
	os.Exit(2)
}
